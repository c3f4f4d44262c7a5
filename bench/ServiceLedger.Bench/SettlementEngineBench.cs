using System.Diagnostics;
using System.Globalization;
using ServiceLedger.Domain.Billing;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Money;
using ServiceLedger.Domain.Parties;
using ServiceLedger.Domain.Settlement;
using ServiceLedger.TestSupport.Contracts;

namespace ServiceLedger.Bench;

/// <summary>
/// The settlement-engine scenario: settles 100,000 contracts of mixed terms (monthly and quarterly, base-plus-commission
/// and fixed fee, seats and lump sums, mid-period starts, ends and amendments, SLA misses, overdue items, dispute
/// adjustments, final statements with deposits) with the pure engine, then builds each statement's ledger entry.
/// Inputs are built before the clock starts; prints statements per second, bytes allocated and peak working set.
/// </summary>
internal static class SettlementEngineBench
{
    private const int Contracts = 100_000;
    private const int WarmUp = 2_000;

    private static readonly Currency Yuan = Currency.FromCode("CNY");

    public static int Run()
    {
        var calendar = new WorkingDayCalendar("CN", Enumerable.Range(2026, 4).Select(year => HolidaySchedule.Parse($"jurisdiction CN\nyear {year}\n", $"CN-{year}.txt").Value));
        var shapes = Shapes();
        var inputs = Enumerable.Range(0, Contracts).Select(index => InputFor(index, shapes[index % shapes.Count], calendar)).ToArray();

        foreach (var input in inputs.Take(WarmUp))
        {
            SettlementEngine.Settle(input);
        }

        var settle = Measure(inputs, postToLedger: false);
        var settleAndPost = Measure(inputs, postToLedger: true);

        using var process = Process.GetCurrentProcess();
        process.Refresh();
        Console.WriteLine("| scenario | statements | wall s | statements/s (wall) | CPU s | statements per CPU-second | allocated bytes/statement | lines/statement |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
        Console.WriteLine(settle.Row("settle"));
        Console.WriteLine(settleAndPost.Row("settle + ledger entry"));
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"peak working set {process.PeakWorkingSet64 / (1024 * 1024)} MiB (inputs for {Contracts} contracts held in memory); {shapes.Count} terms shapes; {Environment.ProcessorCount} cores; one thread."));
        return 0;
    }

    private static Measured Measure(SettlementInput[] inputs, bool postToLedger)
    {
        var lines = 0L;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        // CPU time beside wall time: the machine is shared, so wall-clock rates say more about the neighbours than the engine.
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        foreach (var input in inputs)
        {
            var statement = SettlementEngine.Settle(input).Value;
            lines += statement.Lines.Count;
            if (postToLedger && !StatementLedgerEntry.For(statement).IsValid)
            {
                throw new InvalidOperationException($"Statement {statement.Id} gave no ledger entry.");
            }
        }

        clock.Stop();
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        return new Measured(inputs.Length, clock.Elapsed.TotalSeconds, cpuSeconds, GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore, lines);
    }

    // Terms shapes crossed with period positions: the mix a month-end run meets.
    private static List<(Terms Terms, Terms? Amended)> Shapes()
    {
        var shapes = new List<(Terms, Terms?)>();
        foreach (var cycle in new[] { "Monthly", "Quarterly" })
        {
            var seats = SampleTerms.Input with { SettlementCycle = cycle };
            var lumpSum = seats with { Seats = null, LumpSumBaseFee = SampleTerms.Cny("45000.00"), Deposit = new DepositRuleInput { Kind = "FixedAmount", Amount = SampleTerms.Cny("20000.00") } };
            var fixedFee = SampleTerms.FixedFeeInput with { SettlementCycle = cycle };
            foreach (var input in new[] { seats, lumpSum, fixedFee })
            {
                var terms = Terms.Create(input).Value;
                var amended = Terms.Create(input with { PlatformFeeRate = "0.08", Seats = input.Seats?.Select(seat => seat with { Count = seat.Count + 2 }).ToArray() }).Value;
                shapes.Add((terms, null));
                shapes.Add((terms, amended));
            }
        }

        return shapes;
    }

    private static SettlementInput InputFor(int index, (Terms Terms, Terms? Amended) shape, IWorkingDayCalendar calendar)
    {
        var terms = shape.Terms;
        var start = terms.Term.StartOn.PlusDays(index % 3 == 0 ? 14 : 0);
        var period = SettlementPeriod.Containing(new NodaTime.LocalDate(2027, 3, 15), terms.Cycle);
        var versions = new List<TermsInForce> { new(start, terms) };
        if (shape.Amended is { } amended)
        {
            versions.Add(new TermsInForce(period.Start.PlusDays(10), amended));
        }

        var final = index % 10 == 0;
        var lastDay = final ? period.Start.PlusDays(19) : terms.Term.EndOn;
        var contract = ContractId.Derive($"bench-contract-{index}");
        var figures = ServiceFigures.Create(
            1_000 + (index % 500),
            (index * 7) % 1_000,
            Money.FromMinorUnits(10_000_000 + (index * 1_234L), Yuan),
            20 + (index % 20),
            Rate.Of(0.9m + ((index % 10) / 100m)),
            Rate.Of(0.85m),
            Rate.Of(0.92m),
            Rate.Of(0.94m)).Value;
        return new SettlementInput
        {
            Contract = contract,
            Merchant = MerchantId.Derive($"bench-merchant-{index}"),
            Vendor = VendorId.Derive($"bench-vendor-{index % 100}"),
            TermsVersions = versions,
            Service = new ServiceWindow(start, lastDay),
            Period = period,
            Figures = figures,
            IssuedOn = period.End,
            Version = 1,
            DisputeAdjustments = index % 7 == 0 ? [new DisputeAdjustment(Money.FromMinorUnits(50_000, Yuan), $"dsp_{index}")] : [],
            Overdue = index % 5 == 0
                ? [new OverdueItem(StatementId.For(contract, period.Previous(), 1), Money.FromMinorUnits(3_000_000, Yuan), period.Start.PlusDays(-20), null, false, Money.Zero(Yuan))]
                : [],
            IsFinal = final,
            DepositHeld = final ? Money.FromMinorUnits(2_000_000, Yuan) : null,
            Calendar = calendar,
        };
    }

    private sealed record Measured(int Statements, double Seconds, double CpuSeconds, long AllocatedBytes, long Lines)
    {
        public string Row(string label) => string.Create(
            CultureInfo.InvariantCulture,
            $"| {label} | {Statements} | {Seconds:0.00} | {Statements / Seconds:0} | {CpuSeconds:0.00} | {Statements / CpuSeconds:0} | {AllocatedBytes / Statements} | {(double)Lines / Statements:0.0} |");
    }
}
