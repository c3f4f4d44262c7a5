using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using NodaTime;
using ServiceLedger.Domain.Billing;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Disputes;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Money;
using ServiceLedger.Domain.Parties;
using ServiceLedger.Domain.Settlement;
using ServiceLedger.Functions.Adapters.Billing;
using ServiceLedger.Functions.Adapters.Disputes;
using ServiceLedger.Functions.Adapters.Ledger;
using ServiceLedger.Functions.Configuration;
using ServiceLedger.Functions.Disputes;
using ServiceLedger.Functions.Hosting;
using ServiceLedger.Functions.Settlement;
using ServiceLedger.TestSupport.Settlement;

namespace ServiceLedger.Bench;

/// <summary>
/// The settlement-run scenario: N active contracts with service reports in a fresh Azurite, one run per month (November, or
/// October then November with <c>--months 2</c>), the queues drained by 16 trigger pumps at once (as 16 Functions instances would). Prints,
/// per month, contracts per second, storage requests per contract (Table and Queue, counted by the pipeline, retries
/// included; the ledger's share counted apart) and the peak working set. Month 1 is every contract's first statement (new
/// books); later months append to known books, in the same ledger process (warm caches) or, with <c>--restart</c>, in a new
/// one (cold caches, as a new Functions instance). Before the runs each contract's statement accounts are opened, as its
/// activation does in production (counted apart); <c>--unopened</c> leaves that to the first statement.
/// </summary>
internal static class SettlementRunBench
{
    private const int DefaultContracts = 2_000;
    private const int Workers = 16;

    // The last month run is November 2026 (run on 2 December): the sample contracts' calendar has CN holidays for 2026 only,
    // so a run in 2027 is refused (HolidayScheduleMissing). With --months 2 the first month is October.
    private static readonly SettlementPeriod LastMonth = SettlementPeriod.Month(2026, 11);

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var contracts = Option(args, "--contracts", DefaultContracts);
        var months = Math.Min(Option(args, "--months", 1), 2);
        var first = SettlementPeriod.Month(LastMonth.Start.PlusMonths(1 - months).ToYearMonth());

        // --trace prints every storage request (verb and path) so the requests per contract can be attributed.
        var trace = args.Contains("--trace");
        var restart = args.Contains("--restart");
        RestartableLedgerStore? ledger = null;
        await using var harness = await SettlementHarness.StartAsync(
            RunsAt(first),
            QueueTriggerSettings.FromHostJson,
            configure: services =>
            {
                services.AddSingleton<ILedgerStore>(provider => ledger = new RestartableLedgerStore(
                    provider.GetRequiredService<IConfiguration>()[AppSettings.StorageConnectionString]!,
                    provider.GetRequiredService<LedgerTables>(),
                    provider.GetRequiredService<IClock>()));

                // The reads production makes, counted: the latest service report from its table (one partition query) and
                // the holds of unresolved disputes (one query), not the harness's in-memory reports and "no holds".
                services.AddSingleton<IServiceReportStore, TableServiceReportStore>();
                services.AddSingleton<IDisputeStore, TableDisputeStore>();
                services.Replace(ServiceDescriptor.Singleton<IServiceReportSource, StoredServiceReports>());
                services.Replace(ServiceDescriptor.Singleton<ISettlementHolds, DisputeHolds>());

                // Production's outcome batching (the harness writes each outcome alone, so its tests never wait on time).
                services.Replace(ServiceDescriptor.Singleton(SettlementOutcomeBatching.Default));
            },
            logging: trace ? logging => logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Debug) : null);
        var setup = Stopwatch.StartNew();
        var stored = await harness.AddActiveContractsAsync(contracts, "bench");
        setup.Stop();
        _ = harness.Services.GetRequiredService<ILedgerStore>();

        // An active contract went through activation, which opens the accounts its statements post (docs/ledger-store.md,
        // "Opening a contract's accounts"); the harness stores active contracts directly, so the bench opens them here, counted
        // apart: a one-time cost per contract, not the run's. --unopened skips it (the first statement then opens them).
        long? opening = args.Contains("--unopened") ? null : await OpenAccountsAsync(harness, ledger!, stored);

        Console.WriteLine("| month | ledger process | contracts | settled | held | failed | statements | seconds | contracts/s | table req/contract | of which ledger | queue req/contract | all req/contract | peak working set (MB) |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        var period = first;
        var allSettled = true;
        var pumpedTotal = new PumpPass();
        for (var month = 1; month <= months; month++)
        {
            var process = month == 1 ? (opening is null ? "new books" : "books opened at activation") : restart ? "restarted (cold)" : "same (warm)";
            if (month > 1)
            {
                period = period.Next();
                harness.Clock.Set(RunsAt(period));
                if (restart)
                {
                    ledger!.Restart();
                }
            }

            await SubmitReportsAsync(harness, stored, period);
            var tablesBefore = harness.Counter.TableRequests;
            var ledgerBefore = ledger!.TableRequests;
            var queuesBefore = harness.Counter.QueueRequests;
            var watch = Stopwatch.StartNew();
            var run = await harness.Services.GetRequiredService<SettlementRuns>().StartAsync(period, SettlementRuns.HttpTrigger, "bench", null, CancellationToken.None);
            var pumped = await harness.DrainAsync(Workers, maxRounds: 1_000_000);
            watch.Stop();
            var ledgerTables = ledger.TableRequests - ledgerBefore;
            var tables = harness.Counter.TableRequests - tablesBefore + ledgerTables;
            var queues = harness.Counter.QueueRequests - queuesBefore;
            pumpedTotal = new PumpPass(pumpedTotal.Handled + pumped.Handled, pumpedTotal.Failed + pumped.Failed, pumpedTotal.Poisoned + pumped.Poisoned, 0);

            var status = (await harness.Services.GetRequiredService<SettlementRunStore>().ReadStatusAsync(run.Id, CancellationToken.None))!;
            var statements = (await harness.RowsAsync(StorageNames.StatementsTable, $"stm:{period}:", $"stm:{period};")).Count;
            allSettled &= status.Settled == contracts;
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {period} | {process} | {contracts} | {status.Settled} | {status.Held} | {status.Failed} | {statements} | {watch.Elapsed.TotalSeconds:0.0} | {contracts / watch.Elapsed.TotalSeconds:0.0} | {tables / (double)contracts:0.00} | {ledgerTables / (double)contracts:0.00} | {queues / (double)contracts:0.00} | {(tables + queues) / (double)contracts:0.00} | {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0):0} |"));
        }

        Console.WriteLine(opening is { } opened
            ? string.Create(CultureInfo.InvariantCulture, $"Accounts opened as activation does, before the runs (not in the table): {opened / (double)contracts:0.00} table requests per contract, once.")
            : "Accounts not opened before the runs (--unopened): each contract's first statement opens them.");
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{Environment.ProcessorCount} cores, {Workers} pumps, Azurite (in-memory) on loopback; setup (contracts) {setup.Elapsed.TotalSeconds:0.0} s, not timed; {pumpedTotal.Handled} messages handled, {pumpedTotal.Failed} retried, {pumpedTotal.Poisoned} poisoned. Working set is this process (app + pumps), not Azurite."));
        return allSettled ? 0 : 1;
    }

    /// <summary>
    /// Stores version 1 of each contract's service report for <paramref name="period"/> through the reports' Table store, as
    /// the vendor's upload would (not timed, not counted: it runs before the month's counters are read).
    /// </summary>
    private static async Task SubmitReportsAsync(SettlementHarness harness, IReadOnlyList<Contract> contracts, SettlementPeriod period)
    {
        var store = harness.Services.GetRequiredService<IServiceReportStore>();
        var figures = ServiceFigures.Create(1000, 420, new Money(100_000.00m, Currency.Cny), 25, null, null, null, null).Value;
        var vendor = Actor.Create(ActorRole.Vendor, "bench-vendor", "bench").Value;
        var at = harness.Clock.GetCurrentInstant();
        await Parallel.ForEachAsync(contracts, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (contract, token) =>
        {
            var report = ServiceReportHistory.Empty(contract.Id, period).Submit(figures, vendor, at).Value.Report;
            if (!await store.TryAddVersionAsync(report, token))
            {
                throw new InvalidOperationException($"The {period} report of {contract.Id} exists already.");
            }
        });
    }

    /// <summary>Opens each contract's statement accounts as its activation would; returns the ledger's table requests it cost.</summary>
    private static async Task<long> OpenAccountsAsync(SettlementHarness harness, RestartableLedgerStore ledger, IReadOnlyList<Contract> contracts)
    {
        var before = ledger.TableRequests + harness.Counter.TableRequests;
        await Parallel.ForEachAsync(contracts, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (contract, token) =>
        {
            var accounts = StatementLedgerEntry.AccountsPosted(contract.Merchant, contract.Vendor, contract.CurrentVersion.Terms.Currency);
            if (!await ledger.OpenAccountsAsync(contract.Id.Book, accounts, token))
            {
                throw new InvalidOperationException($"The accounts of {contract.Id} could not be opened.");
            }
        });
        return ledger.TableRequests + harness.Counter.TableRequests - before;
    }

    /// <summary>The run for a month starts on the 2nd of the next month (UTC), as the timer would.</summary>
    private static Instant RunsAt(SettlementPeriod period) => Instant.FromUtc(period.End.Year, period.End.Month, 2, 0, 0);

    private static int Option(IReadOnlyList<string> args, string name, int fallback)
    {
        var index = args.ToList().IndexOf(name);
        return index >= 0 && index + 1 < args.Count && int.TryParse(args[index + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : fallback;
    }
}
