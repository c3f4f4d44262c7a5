using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using ServiceLedger.Functions.Adapters.Storage;

namespace ServiceLedger.TestSupport.Azurite;

/// <summary>
/// A real Azurite (the repo's own node_modules/azurite) on 127.0.0.1, with ports the OS picked (Azurite is started
/// with port 0 and reports the port it got), data in a fresh temp directory, and a connection string for it.
/// Use <see cref="SharedAsync"/> for the one instance a test assembly shares (stopped when the test process exits);
/// give every test its own table and queue names (<see cref="StorageTestNames"/>) so tests run in parallel.
/// If node or Azurite is missing or Azurite does not start, this fails loudly: tests never skip.
/// </summary>
public sealed partial class AzuriteInstance : IDisposable
{
    /// <summary>How long Azurite may take to report that it listens (a cold start takes 1-3 s).</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private const int MaxKeptOutputLines = 200;

    private static readonly Lazy<Task<AzuriteInstance>> Shared = new(StartSharedAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly Process _process;
    private readonly string _dataDirectory;
    private int _stopped;

    private AzuriteInstance(Process process, string dataDirectory, int blobPort, int queuePort, int tablePort)
    {
        _process = process;
        _dataDirectory = dataDirectory;
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
    }

    /// <summary>The Blob service port.</summary>
    public int BlobPort { get; }

    /// <summary>The Queue service port.</summary>
    public int QueuePort { get; }

    /// <summary>The Table service port.</summary>
    public int TablePort { get; }

    /// <summary>The Table endpoint, path-style with the development account.</summary>
    public Uri TableEndpoint => new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{TablePort}/{StorageConnectionString.DevelopmentAccountName}"));

    /// <summary>The Queue endpoint, path-style with the development account.</summary>
    public Uri QueueEndpoint => new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{QueuePort}/{StorageConnectionString.DevelopmentAccountName}"));

    /// <summary>An explicit connection string (development account and key) for this instance.</summary>
    public string ConnectionString => string.Create(
        CultureInfo.InvariantCulture,
        $"DefaultEndpointsProtocol=http;AccountName={StorageConnectionString.DevelopmentAccountName};" +
        $"AccountKey={StorageConnectionString.DevelopmentAccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/{StorageConnectionString.DevelopmentAccountName};" +
        $"QueueEndpoint={QueueEndpoint};TableEndpoint={TableEndpoint};");

    /// <summary>The instance shared by the whole test assembly, started on first use and stopped at process exit.</summary>
    public static Task<AzuriteInstance> SharedAsync() => Shared.Value;

    /// <summary>Starts a private instance; the caller disposes it.</summary>
    public static async Task<AzuriteInstance> StartAsync()
    {
        var repositoryRoot = FindRepositoryRoot();
        var script = Path.Combine(repositoryRoot, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException(
                $"Azurite is not installed ({script} is missing). Run `npm ci` in {repositoryRoot} first; " +
                "the integration tests need a real Azurite and never skip.");
        }

        var dataDirectory = Path.Combine(Path.GetTempPath(), "serviceledger-azurite-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);

        // If this test process dies without stopping Azurite, its stdin pipe closes; this preload ends Azurite then,
        // so no orphan keeps running.
        var watchdog = Path.Combine(dataDirectory, "exit-with-parent.cjs");
        await File.WriteAllTextAsync(
            watchdog,
            "process.stdin.on('end', () => process.exit(0));\nprocess.stdin.on('error', () => process.exit(0));\nprocess.stdin.resume();\n");

        var start = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = dataDirectory,
        };
        foreach (var argument in new[]
        {
            "--require", watchdog, script,
            "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--location", dataDirectory,
            "--blobHost", "127.0.0.1", "--blobPort", "0",
            "--queueHost", "127.0.0.1", "--queuePort", "0",
            "--tableHost", "127.0.0.1", "--tablePort", "0",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var output = new ConcurrentQueue<string>();
        var ports = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        void OnLine(object sender, DataReceivedEventArgs line)
        {
            if (line.Data is null)
            {
                return;
            }

            output.Enqueue(line.Data);
            while (output.Count > MaxKeptOutputLines && output.TryDequeue(out _))
            {
            }

            if (ListeningLine().Match(line.Data) is { Success: true } match)
            {
                ports[match.Groups["service"].Value] = int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture);
                if (ports.Count == 3)
                {
                    listening.TrySetResult();
                }
            }
        }

        process.OutputDataReceived += OnLine;
        process.ErrorDataReceived += OnLine;
        process.Exited += (_, _) => exited.TrySetResult();
        try
        {
            process.Start();
        }
        catch (Win32Exception exception)
        {
            process.Dispose();
            Directory.Delete(dataDirectory, recursive: true);
            throw new InvalidOperationException(
                "Could not start `node` to run Azurite: install Node.js 20+ and run `npm ci` in " + repositoryRoot + ".", exception);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        string? reason = null;
        try
        {
            if (await Task.WhenAny(listening.Task, exited.Task).WaitAsync(StartTimeout) == exited.Task)
            {
                reason = "exited before listening";
            }
        }
        catch (TimeoutException)
        {
            reason = $"did not listen within {StartTimeout.TotalSeconds} s";
        }

        if (reason is not null)
        {
            Kill(process);
            process.Dispose();
            TryDelete(dataDirectory);
            throw new InvalidOperationException(
                $"Azurite {reason}. Run `npm ci` in {repositoryRoot} if node_modules is stale. Its output:\n" + string.Join('\n', output));
        }

        return new AzuriteInstance(process, dataDirectory, ports["Blob"], ports["Queue"], ports["Table"]);
    }

    /// <summary>Stops Azurite and deletes its data directory. Idempotent.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        Kill(_process);
        _process.Dispose();
        TryDelete(_dataDirectory);
    }

    /// <summary>The directory holding Serverless.sln, found by walking up from the test binaries.</summary>
    public static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Serverless.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Serverless.sln above {AppContext.BaseDirectory}: run the tests from inside the repository.");
    }

    private static async Task<AzuriteInstance> StartSharedAsync()
    {
        var instance = await StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => instance.Dispose();
        return instance;
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone between the check and the kill.
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open at process exit; the OS temp cleaner removes it. Nothing else depends on it.
        }
        catch (UnauthorizedAccessException)
        {
            // Same as above.
        }
    }

    [GeneratedRegex(@"Azurite (?<service>Blob|Queue|Table) service is successfully listening at http://127\.0\.0\.1:(?<port>\d+)")]
    private static partial Regex ListeningLine();
}
