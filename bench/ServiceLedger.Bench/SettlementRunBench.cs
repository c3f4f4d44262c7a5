using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodaTime;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Functions.Configuration;
using ServiceLedger.Functions.Hosting;
using ServiceLedger.Functions.Settlement;
using ServiceLedger.TestSupport.Settlement;

namespace ServiceLedger.Bench;

/// <summary>
/// The settlement-run scenario: N active contracts with service reports in a fresh Azurite, one run for the period, the
/// queues drained by 16 trigger pumps at once (as 16 Functions instances would). Prints contracts per second, storage
/// requests per contract (Table and Queue, counted by the pipeline, retries included) and the peak working set.
/// </summary>
internal static class SettlementRunBench
{
    private const int DefaultContracts = 2_000;
    private const int Workers = 16;

    private static readonly SettlementPeriod November = SettlementPeriod.Month(2026, 11);

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var contracts = args.Count >= 2 && args[0] == "--contracts" && int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : DefaultContracts;
        // --trace prints every storage request (verb and path) so the requests per contract can be attributed.
        var trace = args.Contains("--trace");
        await using var harness = await SettlementHarness.StartAsync(
            Instant.FromUtc(2026, 12, 2, 0, 0),
            QueueTriggerSettings.FromHostJson,
            logging: trace ? logging => logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Debug) : null);
        var setup = Stopwatch.StartNew();
        var stored = await harness.AddActiveContractsAsync(contracts, "bench");
        harness.Report(stored, November);
        setup.Stop();

        var tablesBefore = harness.Counter.TableRequests;
        var queuesBefore = harness.Counter.QueueRequests;
        var watch = Stopwatch.StartNew();
        var run = await harness.Services.GetRequiredService<SettlementRuns>().StartAsync(November, SettlementRuns.HttpTrigger, "bench", null, CancellationToken.None);
        var pumped = await harness.DrainAsync(Workers, maxRounds: 1_000_000);
        watch.Stop();
        var tables = harness.Counter.TableRequests - tablesBefore;
        var queues = harness.Counter.QueueRequests - queuesBefore;

        var status = (await harness.Services.GetRequiredService<SettlementRunStore>().ReadStatusAsync(run.Id, CancellationToken.None))!;
        var statements = (await harness.RowsAsync(StorageNames.StatementsTable, "stm:", "stm;")).Count;
        Console.WriteLine("| contracts | settled | held | failed | statements | seconds | contracts/s | table req/contract | queue req/contract | all req/contract | peak working set (MB) |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"| {contracts} | {status.Settled} | {status.Held} | {status.Failed} | {statements} | {watch.Elapsed.TotalSeconds:0.0} | {contracts / watch.Elapsed.TotalSeconds:0.0} | {tables / (double)contracts:0.00} | {queues / (double)contracts:0.00} | {(tables + queues) / (double)contracts:0.00} | {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0):0} |"));
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{Environment.ProcessorCount} cores, {Workers} pumps, Azurite (in-memory) on loopback; setup (contracts, reports) {setup.Elapsed.TotalSeconds:0.0} s, not timed; {pumped.Handled} messages handled, {pumped.Failed} retried, {pumped.Poisoned} poisoned. Working set is this process (app + pumps), not Azurite."));
        return status.Settled == contracts && statements == contracts ? 0 : 1;
    }
}
