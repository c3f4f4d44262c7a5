using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using ServiceLedger.TestSupport.Azurite;

namespace ServiceLedger.TestSupport.Stripe;

/// <summary>
/// Runs a Node.js script that uses the repo's own <c>node_modules/stripe</c> (the pinned devDependency), feeding it
/// JSON on stdin and returning its stdout. Fails loudly when node or the package is missing: tests never skip.
/// </summary>
public static class StripeNodeScript
{
    /// <summary>How long one script may run (a cold node start that loads the stripe package takes well under 2 s).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Runs <paramref name="scriptPath"/> (relative to the repository root) with <paramref name="stdin"/>; returns stdout.</summary>
    public static async Task<string> RunAsync(string scriptPath, string stdin)
    {
        var root = AzuriteInstance.FindRepositoryRoot();
        var package = Path.Combine(root, "node_modules", "stripe", "package.json");
        if (!File.Exists(package))
        {
            throw new InvalidOperationException(
                $"The stripe npm package is not installed ({package} is missing). Run `npm ci` in {root} first; " +
                "the webhook signature tests need Stripe's own code and never skip.");
        }

        var start = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = root,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(Path.Combine(root, scriptPath));
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception exception)
        {
            throw new InvalidOperationException("Could not start `node`: install Node.js 20+ to run the Stripe tests.", exception);
        }

        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        try
        {
            await process.WaitForExitAsync().WaitAsync(Timeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"node {scriptPath} did not finish within {Timeout.TotalSeconds} s.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"node {scriptPath} exited with {process.ExitCode}:\n{await stderr}");
        }

        return await stdout;
    }
}
