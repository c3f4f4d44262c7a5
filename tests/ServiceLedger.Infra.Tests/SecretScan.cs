using System.Text.RegularExpressions;

namespace ServiceLedger.Infra.Tests;

/// <summary>
/// Finds what looks like a secret or a way to read one in text: storage keys and SAS tokens, Stripe keys and webhook
/// secrets, private keys, key-listing functions, and long base64 runs of key length. Reports line and kind, never
/// the matched text itself.
/// </summary>
internal static partial class SecretScan
{
    private static readonly (string Kind, Regex Pattern)[] Patterns =
    [
        ("storage account key", new Regex(@"AccountKey\s*=", RegexOptions.IgnoreCase)),
        ("connection string with a key", new Regex(@"DefaultEndpointsProtocol\s*=", RegexOptions.IgnoreCase)),
        ("shared access signature", new Regex(@"SharedAccessSignature\s*=|[?&]sig=", RegexOptions.IgnoreCase)),
        ("Stripe secret or restricted key", new Regex(@"\b[sr]k_(?:live|test)_")),
        ("Stripe webhook signing secret", new Regex(@"\bwhsec_")),
        ("Application Insights instrumentation key", new Regex(@"InstrumentationKey\s*=\s*[0-9a-fA-F]{8}-", RegexOptions.IgnoreCase)),
        ("private key", new Regex(@"-----BEGIN [A-Z ]*PRIVATE KEY-----")),
        ("key-listing function", new Regex(@"\blist(?:Keys|AccountSas|ServiceSas|Secrets|Credentials?|ConnectionStrings)\s*\(", RegexOptions.IgnoreCase)),
    ];

    public static IReadOnlyList<string> Find(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var findings = new List<string>();
        foreach (var (kind, pattern) in Patterns)
        {
            findings.AddRange(pattern.Matches(text).Select(m => $"{kind} at line {LineOf(text, m.Index)}"));
        }

        foreach (Match run in Base64Run().Matches(text))
        {
            var value = run.Value;
            if (value.Any(char.IsAsciiDigit) && value.Any(char.IsAsciiLetterUpper) && value.Any(char.IsAsciiLetterLower))
            {
                findings.Add($"base64 run of {value.Length} characters (key-like) at line {LineOf(text, run.Index)}");
            }
        }

        return findings;
    }

    private static int LineOf(string text, int index) => text.AsSpan(0, index).Count('\n') + 1;

    // A storage account key is 64 bytes (88 base64 characters); 40 is below any key length we know and above names.
    [GeneratedRegex(@"(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{40,}={0,2}")]
    private static partial Regex Base64Run();
}
