using System.Text.Json;
using System.Text.Json.Nodes;
using ServiceLedger.TestSupport.Stripe;

namespace ServiceLedger.Integration.Tests.Stripe;

/// <summary>
/// Stripe-Signature headers made by Stripe's own npm package (make-signatures.mjs) at test time, one node run for the
/// whole class. Each case is named; the tests look headers up by name.
/// </summary>
public sealed class StripeSignedHeaders : IAsyncLifetime
{
    /// <summary>The script beside this file, relative to the repository root.</summary>
    public const string Script = "tests/ServiceLedger.Integration.Tests/Stripe/make-signatures.mjs";

    /// <summary>The current endpoint secret.</summary>
    public const string Secret = "whsec_current_0123456789abcdef";

    /// <summary>The endpoint secret being rolled out of use.</summary>
    public const string OldSecret = "whsec_previous_fedcba9876543210";

    /// <summary>A secret that is not ours.</summary>
    public const string OtherSecret = "whsec_someone_else";

    /// <summary>When the deliveries were signed (Unix seconds); the tests' clock reads this plus a few seconds.</summary>
    public const long SignedAt = 1_793_581_200; // 2026-11-02T01:00:00Z, FakeClock's default start

    /// <summary>The raw body every header signs.</summary>
    public const string Payload =
        "{\"id\":\"evt_1QxYz\",\"object\":\"event\",\"api_version\":\"2026-09-30.endive\",\"type\":\"checkout.session.completed\"," +
        "\"data\":{\"object\":{\"id\":\"cs_test_a1\",\"object\":\"checkout.session\",\"client_reference_id\":\"ctr_42\",\"payment_status\":\"paid\"}}}";

    private Dictionary<string, string> _signed = [];
    private Dictionary<string, string> _verified = [];

    /// <summary>The header made for case <paramref name="name"/>.</summary>
    public string Header(string name) => _signed[name];

    /// <summary>What stripe-node's constructEvent said about the C#-made header of case <paramref name="name"/>.</summary>
    public string NodeVerdict(string name) => _verified[name];

    /// <summary>The header C# computes for the node check of ComputeV1.</summary>
    public static string CSharpHeader(string secret, long timestamp, string payload) =>
        $"t={timestamp},v1={Functions.Adapters.Stripe.StripeWebhookSignature.ComputeV1(secret, timestamp, System.Text.Encoding.UTF8.GetBytes(payload))}";

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var sign = new JsonArray
        {
            Sign("valid", [Secret], SignedAt),
            Sign("valid-with-v0", [Secret], SignedAt, v0Secret: Secret),
            Sign("only-v0", [], SignedAt, v0Secret: Secret),
            Sign("rotated", [OldSecret, Secret], SignedAt, v0Secret: OldSecret),
            Sign("old-only", [OldSecret], SignedAt),
            Sign("wrong-secret", [OtherSecret], SignedAt),
            Sign("at-tolerance", [Secret], SignedAt - 300),
            Sign("stale", [Secret], SignedAt - 301),
            Sign("far-future", [Secret], SignedAt + 400),
        };
        var verify = new JsonArray
        {
            Verify("csharp", CSharpHeader(Secret, SignedAt, Payload), Secret),
            Verify("csharp-unicode", CSharpHeader(Secret, SignedAt, UnicodePayload), Secret, UnicodePayload),
        };
        var input = new JsonObject { ["sign"] = sign, ["verify"] = verify };
        using var output = JsonDocument.Parse(await StripeNodeScript.RunAsync(Script, input.ToJsonString()));
        _signed = output.RootElement.GetProperty("signed").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        _verified = output.RootElement.GetProperty("verified").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
    }

    /// <inheritdoc />
    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A payload with non-ASCII text, to prove the HMAC runs over UTF-8 bytes.</summary>
    public const string UnicodePayload = "{\"id\":\"evt_2\",\"data\":{\"object\":{\"description\":\"预付款 – Kaution €\"}}}";

    private static JsonObject Sign(string name, string[] secrets, long timestamp, string? v0Secret = null) => new()
    {
        ["name"] = name,
        ["payload"] = Payload,
        ["secrets"] = new JsonArray([.. secrets.Select(s => (JsonNode)JsonValue.Create(s))]),
        ["timestamp"] = timestamp,
        ["v0Secret"] = v0Secret,
    };

    private static JsonObject Verify(string name, string header, string secret, string payload = Payload) => new()
    {
        ["name"] = name,
        ["payload"] = payload,
        ["header"] = header,
        ["secret"] = secret,
        ["receivedAt"] = SignedAt + 10,
    };
}
