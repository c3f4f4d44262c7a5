using System.Diagnostics;
using System.IO.Compression;

namespace ServiceLedger.Api.Tests.Hosting;

/// <summary>
/// scripts/package.sh lays out what the Functions host expects: host.json at the root, one folder per function with
/// its function.json, and the executable host.json names, still executable. A stand-in publish output keeps it fast;
/// the real `dotnet publish` step is the same command docs/deployment.md runs.
/// </summary>
public sealed class PackageTests : IDisposable
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(60);
    private readonly string work = Directory.CreateTempSubdirectory("serviceledger-package-").FullName;

    [Fact]
    public async Task Package_zip_has_host_json_at_the_root_every_function_folder_and_the_executable_marked_executable()
    {
        var executable = typeof(Program).Assembly.GetName().Name!;
        var published = FakePublishOutput(executable);

        var (exitCode, output) = await RunPackageAsync("--publish-dir", published, "--out", Path.Combine(work, "out"));

        Assert.True(exitCode == 0, output);
        using var zip = ZipFile.OpenRead(Path.Combine(work, "out", "functionapp.zip"));
        var entries = zip.Entries.Where(e => !e.FullName.EndsWith('/')).ToDictionary(e => e.FullName, StringComparer.Ordinal);
        using (var hostJson = new StreamReader(entries["host.json"].Open()))
        {
            Assert.Equal(await File.ReadAllTextAsync(Path.Combine(Repository.Root, "host.json")), await hostJson.ReadToEndAsync());
        }

        Assert.All(Repository.FunctionDefinitions(), d => Assert.Contains(d.Folder + "/function.json", entries.Keys));
        var unixMode = entries[executable].ExternalAttributes >> 16;
        Assert.NotEqual(0, unixMode & 0b001_001_001);
        Assert.Contains(executable + ".dll", entries.Keys);
        Assert.DoesNotContain(entries.Keys, k => k.StartsWith("definitions/", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(work, "out", "functionapp", "host.json")));
    }

    [Fact]
    public async Task Package_fails_when_the_publish_output_lacks_the_executable_host_json_names()
    {
        var published = FakePublishOutput("SomethingElse");

        var (exitCode, output) = await RunPackageAsync("--publish-dir", published, "--out", Path.Combine(work, "out"));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("defaultExecutablePath", output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(work, "out", "functionapp.zip")));
    }

    public void Dispose() => Directory.Delete(work, recursive: true);

    private string FakePublishOutput(string executable)
    {
        var published = Directory.CreateDirectory(Path.Combine(work, "publish")).FullName;
        File.WriteAllText(Path.Combine(published, executable), "#!/bin/sh\n");
        File.WriteAllText(Path.Combine(published, executable + ".dll"), "stand-in");
        File.WriteAllText(Path.Combine(published, "appsettings.json"), "{}");
        return published;
    }

    private static async Task<(int ExitCode, string Output)> RunPackageAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(Repository.Root, "scripts", "package.sh"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(ScriptTimeout);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
