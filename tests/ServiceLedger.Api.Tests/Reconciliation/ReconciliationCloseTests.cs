using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using NodaTime;
using ServiceLedger.Domain.Deposits;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Money;
using ServiceLedger.Functions.Auth;
using ServiceLedger.Functions.Configuration;
using ServiceLedger.Functions.Ledger;
using ServiceLedger.Functions.Reconciliation;
using ServiceLedger.TestSupport.Api;
using ServiceLedger.TestSupport.Azurite;

namespace ServiceLedger.Api.Tests.Reconciliation;

/// <summary>
/// The app over an Azurite of its own: closing a period closes every earlier month of the shared ledger too, which would
/// refuse the other tests' entries, so the close path runs where nothing else writes.
/// </summary>
public sealed class IsolatedLedgerFactory : ApiFactory
{
    private AzuriteInstance? own;

    /// <summary>Starts a private Azurite, then the app over it.</summary>
    public override async Task InitializeAsync()
    {
        own = await AzuriteInstance.StartAsync();
        Clock.Set(Instant.FromUtc(2029, 8, 5, 9, 0));
        await base.InitializeAsync();
    }

    /// <inheritdoc />
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting(AppSettings.StorageConnectionString, own!.ConnectionString);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            own?.Dispose();
        }
    }
}

/// <summary>A clean period reconciles with zero exceptions and closes; after the close nothing more is accepted in it.</summary>
public sealed class ReconciliationCloseTests(IsolatedLedgerFactory app) : IClassFixture<IsolatedLedgerFactory>
{
    private static readonly Currency Yuan = Currency.FromCode("CNY");

    [Fact]
    public async Task A_clean_month_has_zero_exceptions_closes_with_who_and_when_and_then_refuses_entries_dated_in_it()
    {
        var ledger = app.Services.GetRequiredService<LedgerService>();
        var paid = StripeLedgerEntries.DepositPaid("cs_close1", "ctr_close1", "mer_close1", new Money(100m, Yuan), new LocalDate(2029, 7, 10)).Value;
        var fee = StripeLedgerEntries.ProcessingFee("txn_close1", new Money(3.20m, Yuan), new LocalDate(2029, 7, 10), "ch_close1").Value;
        Assert.IsType<AppendResult.Appended>(await ledger.AppendAsync(paid, CancellationToken.None));
        Assert.IsType<AppendResult.Appended>(await ledger.AppendAsync(fee, CancellationToken.None));
        using var client = app.CreateClientAs(CallerRole.Finance);

        using var started = await client.PostAsJsonAsync("/api/reconciliations", new { period = "2029-07", stripeSource = "csv" });
        var runId = JsonDocument.Parse(await started.Content.ReadAsStringAsync()).RootElement.GetProperty("runId").GetString()!;
        var csv = "balance_transaction_id,source_id,reporting_category,gross,fee,net,currency,created_utc\n"
            + "txn_close1,ch_close1,charge,100.00,3.20,96.80,cny,2029-07-10 08:00:00\n";
        using (await client.PostAsync(new Uri($"/api/reconciliations/{runId}/stripe-csv", UriKind.Relative), new StringContent(csv, Encoding.UTF8, "text/csv")))
        {
        }

        await app.Services.GetRequiredService<ReconcilePeriod>().RunAsync(runId, CancellationToken.None);

        using var exceptions = await client.GetAsync(new Uri($"/api/reconciliations/{runId}/exceptions", UriKind.Relative));
        Assert.Equal("[]", await exceptions.Content.ReadAsStringAsync());

        using var close = await client.PostAsync(new Uri($"/api/reconciliations/{runId}/close", UriKind.Relative), null);
        var closed = JsonDocument.Parse(await close.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.OK, close.StatusCode);
        Assert.Equal("closed", closed.GetProperty("status").GetString());
        Assert.Equal("2029-08-05T09:00:00Z", closed.GetProperty("closedAt").GetString());
        Assert.False(string.IsNullOrEmpty(closed.GetProperty("closedBy").GetString()));
        Assert.True((await ledger.ReadPeriodsAsync(CancellationToken.None)).IsClosed(new YearMonth(2029, 7)));

        var late = StripeLedgerEntries.DepositPaid("cs_close2", "ctr_close1", "mer_close1", new Money(5m, Yuan), new LocalDate(2029, 7, 20)).Value;
        Assert.IsType<AppendResult.Refused>(await ledger.AppendAsync(late, CancellationToken.None));
    }
}
