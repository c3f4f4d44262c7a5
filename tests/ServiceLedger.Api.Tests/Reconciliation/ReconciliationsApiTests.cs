using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using NodaTime;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Money;
using ServiceLedger.Functions.Auth;
using ServiceLedger.Functions.Ledger;
using ServiceLedger.Functions.Reconciliation;
using ServiceLedger.TestSupport.Api;

namespace ServiceLedger.Api.Tests.Reconciliation;

/// <summary>Reconciliation runs over HTTP: start, Stripe CSV, progress, exceptions (JSON and CSV), resolution, close refused.</summary>
public sealed class ReconciliationsApiTests(ApiFactory app) : IClassFixture<ApiFactory>
{
    // A month no other test of this assembly writes entries in, so the Stripe side of the run is ours alone.
    private const string Period = "2029-07";
    private static readonly Currency Yuan = Currency.FromCode("CNY");

    [Fact]
    public async Task A_bad_period_and_source_are_refused_naming_both_fields_and_nothing_is_started()
    {
        using var client = app.CreateClientAs(CallerRole.Finance);

        using var response = await client.PostAsJsonAsync("/api/reconciliations", new { period = "2029-13", stripeSource = "ftp" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty("period", out _));
        Assert.True(errors.TryGetProperty("stripeSource", out _));
    }

    [Fact]
    public async Task Only_finance_may_start_a_run()
    {
        using var client = app.CreateClientAs(CallerRole.Merchant, "mer_recon1");

        using var response = await client.PostAsJsonAsync("/api/reconciliations", new { period = Period, stripeSource = "api" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task A_csv_run_finds_the_missed_webhook_refuses_to_close_and_an_adjustment_posts_once_however_often_it_is_sent()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var matched = $"ch_ok{suffix}";
        var missed = $"ch_missed{suffix}";
        // A card payment booked gross with its fee in one entry naming the charge (docs/ledger.md, "statement paid by card").
        await AppendAsync(ProposedEntry.Create(
            BookId.ForContract($"ctr_r{suffix}"),
            IdempotencyKey.Parse($"stripe:{matched}:paid", "key").Value,
            new LocalDate(2029, 7, 10),
            $"Card payment {matched}",
            [
                Posting.Debit(AccountId.PlatformStripeClearing, new Money(96.80m, Yuan)),
                Posting.Debit(AccountId.PlatformProcessingFees, new Money(3.20m, Yuan)),
                Posting.Credit(AccountId.MerchantReceivable($"mer_r{suffix}"), new Money(100m, Yuan)),
            ],
            [SourceReference.StripeObject(matched)]).Value);
        using var client = app.CreateClientAs(CallerRole.Finance);

        using var started = await client.PostAsJsonAsync("/api/reconciliations", new { period = Period, stripeSource = "csv" });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var run = JsonDocument.Parse(await started.Content.ReadAsStringAsync()).RootElement;
        var runId = run.GetProperty("runId").GetString()!;
        Assert.Equal("awaitingCsv", run.GetProperty("status").GetString());

        var csv = "balance_transaction_id,source_id,reporting_category,gross,fee,net,currency,created_utc,available_on_utc\n"
            + $"txn_ok{suffix},{matched},charge,100.00,3.20,96.80,cny,2029-07-10 08:00:00,2029-07-12 00:00:00\n"
            + $"txn_missed{suffix},{missed},charge,250.00,7.55,242.45,cny,2029-07-11 09:30:00,2029-07-13 00:00:00\n";
        using (var upload = await client.PostAsync(new Uri($"/api/reconciliations/{runId}/stripe-csv", UriKind.Relative), new StringContent(csv, Encoding.UTF8, "text/csv")))
        {
            Assert.Equal(HttpStatusCode.Accepted, upload.StatusCode);
        }

        // The queue function's work, run here rather than waited for.
        await app.Services.GetRequiredService<ReconcilePeriod>().RunAsync(runId, CancellationToken.None);

        var progress = await GetJsonAsync(client, $"/api/reconciliations/{runId}");
        Assert.Equal("completed", progress.GetProperty("status").GetString());
        Assert.Equal(2, progress.GetProperty("stripeItems").GetInt32());
        Assert.Matches("^[0-9a-f]{64}$", progress.GetProperty("reportHash").GetString()!);

        var exceptions = (await GetJsonAsync(client, $"/api/reconciliations/{runId}/exceptions")).EnumerateArray().ToArray();
        var ours = exceptions.Where(exception => exception.GetProperty("subject").GetString()!.EndsWith(suffix, StringComparison.Ordinal)).ToArray();
        var missing = Assert.Single(ours);
        Assert.Equal("InStripeOnly", missing.GetProperty("kind").GetString());
        Assert.Equal(missed, missing.GetProperty("subject").GetString());
        Assert.False(missing.GetProperty("resolved").GetBoolean());

        using (var download = await client.GetAsync(new Uri($"/api/reconciliations/{runId}/exceptions?format=csv", UriKind.Relative)))
        {
            Assert.Equal("text/csv", download.Content.Headers.ContentType?.MediaType);
            var text = await download.Content.ReadAsStringAsync();
            Assert.StartsWith("exceptionId,kind,subject", text, StringComparison.Ordinal);
            Assert.Contains($"\"{missed}\"", text, StringComparison.Ordinal);
        }

        using (var refused = await client.PostAsync(new Uri($"/api/reconciliations/{runId}/close", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Contains("UnresolvedExceptions", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var exceptionId = missing.GetProperty("exceptionId").GetString()!;
        var adjust = new
        {
            action = "adjust",
            comment = "Webhook missed; booking the charge by hand.",
            adjustment = new
            {
                postings = new[]
                {
                    new { account = "platform:stripe-clearing", side = "debit", amount = new { amount = "242.45", currency = "CNY" } },
                    new { account = "platform:processing-fees", side = "debit", amount = new { amount = "7.55", currency = "CNY" } },
                    new { account = "platform:revenue", side = "credit", amount = new { amount = "250.00", currency = "CNY" } },
                },
            },
        };
        var first = await PostJsonAsync(client, $"/api/reconciliations/{runId}/exceptions/{exceptionId}/resolution", adjust);
        var again = await PostJsonAsync(client, $"/api/reconciliations/{runId}/exceptions/{exceptionId}/resolution", adjust);

        var resolution = Assert.Single(again.GetProperty("resolutions").EnumerateArray());
        Assert.Equal("adjust", resolution.GetProperty("action").GetString());
        var entryRef = resolution.GetProperty("adjustmentEntry").GetString()!;
        Assert.Equal(entryRef, Assert.Single(first.GetProperty("resolutions").EnumerateArray()).GetProperty("adjustmentEntry").GetString());
        var entry = await app.Services.GetRequiredService<LedgerService>().ReadEntriesDatedAsync(
            new DateInterval(new LocalDate(2029, 7, 1), new LocalDate(2029, 7, 31)), CancellationToken.None);
        var adjustment = Assert.Single(entry, candidate => candidate.IdempotencyKey.Value == $"recon:{runId}:{exceptionId}");
        Assert.Equal(new LocalDate(2029, 7, 31), adjustment.EffectiveDate);
        Assert.Equal(entryRef, adjustment.Id.ToString());
    }

    [Fact]
    public async Task A_resolution_without_a_comment_or_with_postings_that_do_not_fit_is_refused_naming_the_fields()
    {
        using var client = app.CreateClientAs(CallerRole.Finance);

        using var response = await client.PostAsJsonAsync(
            "/api/reconciliations/rec_unknown00/exceptions/exc_unknown00/resolution",
            new { action = "adjust", comment = "", adjustment = new { postings = new[] { new { account = "nope", side = "up", amount = new { amount = "1", currency = "CNY" } } } } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty("comment", out _));
        Assert.True(errors.TryGetProperty("adjustment.postings", out _));
    }

    [Fact]
    public async Task An_unknown_run_is_404()
    {
        using var client = app.CreateClientAs(CallerRole.Finance);

        using var response = await client.GetAsync(new Uri("/api/reconciliations/rec_doesnotexist", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    private static async Task<JsonElement> PostJsonAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement;
    }

    private async Task AppendAsync(ProposedEntry entry) =>
        Assert.IsType<AppendResult.Appended>(await app.Services.GetRequiredService<LedgerService>().AppendAsync(entry, CancellationToken.None));
}
