using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using NodaTime;
using ServiceLedger.Domain.Reconciliation;

namespace ServiceLedger.Bench;

using ServiceLedger.Domain.Money;

/// <summary>
/// The reconcile scenario: N Stripe balance transactions against N ledger items for March 2027 (deterministic seed), with
/// 1% planted mismatches in five kinds, matched by <see cref="StripeLedgerMatch"/> and, in the same process, by the same
/// hash join in SQLite in memory. Prints times (SQLite's load, index and join separately), found-mismatch counts per kind
/// (which must agree with each other and with what was planted), allocated bytes and peak working set.
/// </summary>
internal static class ReconcileBench
{
    private const int Seed = 20270301;
    private const int DefaultCount = 1_000_000;
    private const int MaxCount = StripeLedgerMatch.MaxItemsPerSide;
    private static readonly Currency Yuan = Currency.FromCode("CNY");
    private static readonly ReconciliationPeriod March = ReconciliationPeriod.Month(new YearMonth(2027, 3));

    public static int Run(string[] args)
    {
        var count = DefaultCount;
        if (args is ["--count", var text] && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1_000 or > MaxCount))
        {
            Console.Error.WriteLine($"--count takes 1000 to {MaxCount}");
            return 2;
        }

        var generate = Stopwatch.StartNew();
        var (stripe, ledger, planted) = Generate(count);
        Console.WriteLine($"generated {stripe.Length:N0} Stripe and {ledger.Length:N0} ledger items in {generate.ElapsedMilliseconds:N0} ms; planted {Describe(planted)}");

        // Ours, twice: the first run includes JIT compilation, the second is the steady state.
        using var process = Process.GetCurrentProcess();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        process.Refresh();
        var inputsWorkingSet = process.WorkingSet64;
        var peakReset = ResetPeakWorkingSet();
        var figures = new List<(string Label, long Ms, long CpuMs, long Allocated, Counts Found)>();
        for (var round = 1; round <= 2; round++)
        {
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var outcome = StripeLedgerMatch.Run(stripe, ledger, March, MatchPolicy.Default);
            clock.Stop();
            process.Refresh();
            var cpu = (long)(process.TotalProcessorTime - cpuBefore).TotalMilliseconds;
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            figures.Add(($"ours, run {round}", clock.ElapsedMilliseconds, cpu, allocated, Counts.Of(outcome)));
        }

        process.Refresh();
        var peakAfterOurs = process.PeakWorkingSet64;

        var sqlite = RunSqlite(stripe, ledger);
        process.Refresh();
        var peakAfterSqlite = process.PeakWorkingSet64;

        Console.WriteLine();
        Console.WriteLine("| matcher | time ms | CPU ms | allocated MiB | amount differs | fee differs | timing | in Stripe only | in ledger only | matched |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var (label, ms, cpuMs, allocated, found) in figures)
        {
            Console.WriteLine($"| {label} | {ms:N0} | {cpuMs:N0} | {allocated / 1048576.0:N0} | {found.Row} |");
        }

        Console.WriteLine($"| SQLite load (prepared inserts, one transaction) | {sqlite.Load.Ms:N0} | {sqlite.Load.CpuMs:N0} | - | - | - | - | - | - | - |");
        Console.WriteLine($"| SQLite join on its automatic index (no CREATE INDEX) | {sqlite.AutoJoin.Ms:N0} | {sqlite.AutoJoin.CpuMs:N0} | - | {sqlite.AutoIndexFound.Row} |");
        Console.WriteLine($"| SQLite CREATE INDEX (both sides) | {sqlite.Index.Ms:N0} | {sqlite.Index.CpuMs:N0} | - | - | - | - | - | - | - |");
        Console.WriteLine($"| SQLite join on the declared indexes | {sqlite.Join.Ms:N0} | {sqlite.Join.CpuMs:N0} | - | {sqlite.Found.Row} |");
        Console.WriteLine($"| planted | - | - | - | {planted.Row} |");
        Console.WriteLine();
        Console.WriteLine($"SQLite load + index + join: {sqlite.Load.Ms + sqlite.Index.Ms + sqlite.Join.Ms:N0} ms");
        Console.WriteLine($"working set with the inputs loaded: {inputsWorkingSet / 1048576.0:N0} MiB; peak during ours: {peakAfterOurs / 1048576.0:N0} MiB "
            + $"({(peakReset ? "peak reset after generating the inputs" : "peak NOT reset: includes generating the inputs")}); peak after SQLite: {peakAfterSqlite / 1048576.0:N0} MiB");

        var agree = figures.All(figure => figure.Found == sqlite.Found) && sqlite.Found == sqlite.AutoIndexFound && sqlite.Found == planted;
        Console.WriteLine(agree ? "counts agree: ours = SQLite = planted" : "COUNTS DISAGREE");
        return agree ? 0 : 1;
    }

    // Linux lets a process reset its own peak resident set (VmHWM) by writing 5 to clear_refs, so the peak read after our
    // matcher is the inputs plus the matcher, not the garbage of generating them.
    private static bool ResetPeakWorkingSet()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string Describe(Counts counts) => counts.Row.Replace(" | ", ", ", StringComparison.Ordinal);

    // Every item is a charge in March (UTC); the ledger books each on the day Stripe created it, in shuffled order. Then 1%
    // of ids are planted, 0.2% per kind: the ledger entry dropped (a missed webhook), the Stripe transaction dropped, the
    // amount off by 100, the fee off by 1, and a charge of March 31 booked on April 1 (timing).
    private static (StripeItem[] Stripe, LedgerItem[] Ledger, Counts Planted) Generate(int count)
    {
        var random = new Random(Seed);
        var start = March.StartInstant;
        var seconds = (long)(March.EndInstant - start).TotalSeconds;
        var stripe = new StripeItem[count];
        var ledger = new LedgerItem[count];
        for (var i = 0; i < count; i++)
        {
            var amount = random.NextInt64(100, 5_000_000);
            var fee = (amount * 29 / 1000) + 30;
            var created = start.Plus(Duration.FromSeconds(random.NextInt64(0, seconds)));
            var source = string.Create(CultureInfo.InvariantCulture, $"ch_3P{i:D8}{random.Next():x8}");
            stripe[i] = new StripeItem($"txn_3P{i:D8}{random.Next():x8}", source, "charge", amount, fee, amount - fee, Yuan, created, created.Plus(Duration.FromDays(2)), null);

            // A separate string for the ledger's copy of the id, as it would be when read from storage.
            ledger[i] = new LedgerItem($"contract:ctr_{i % 5000:D4}#{i:D7}", new string(source.AsSpan()), amount, fee, Yuan, created.InUtc().Date, $"contract:ctr_{i % 5000:D4}");
        }

        var perKind = count / 500;
        var planted = new Counts(perKind, perKind, perKind, perKind, perKind, count - (3 * perKind) - (2 * perKind));
        var dropLedger = new HashSet<int>();
        var dropStripe = new HashSet<int>();
        var picks = Enumerable.Range(0, count).ToArray();
        random.Shuffle(picks);
        for (var k = 0; k < 5 * perKind; k++)
        {
            var i = picks[k];
            switch (k / perKind)
            {
                case 0:
                    dropLedger.Add(i);
                    break;
                case 1:
                    dropStripe.Add(i);
                    break;
                case 2:
                    ledger[i] = ledger[i] with { AmountMinor = ledger[i].AmountMinor + 100 };
                    break;
                case 3:
                    ledger[i] = ledger[i] with { FeeMinor = ledger[i].FeeMinor + 1 };
                    break;
                default:
                    var lastEvening = Instant.FromUtc(2027, 3, 31, 23, 0).Plus(Duration.FromSeconds(random.Next(0, 3600)));
                    stripe[i] = stripe[i] with { Created = lastEvening };
                    ledger[i] = ledger[i] with { EffectiveDate = new LocalDate(2027, 4, 1) };
                    break;
            }
        }

        // Compact and shuffle in place: a copy of a million items would double the peak this scenario measures.
        var keptStripe = Compact(stripe, dropStripe);
        var keptLedger = Compact(ledger, dropLedger);
        random.Shuffle(keptLedger);
        return (keptStripe, keptLedger, planted);
    }

    private static T[] Compact<T>(T[] items, HashSet<int> drop)
    {
        var kept = 0;
        for (var i = 0; i < items.Length; i++)
        {
            if (!drop.Contains(i))
            {
                items[kept++] = items[i];
            }
        }

        Array.Resize(ref items, kept);
        return items;
    }

    private static SqliteFigures RunSqlite(StripeItem[] stripe, LedgerItem[] ledger)
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        Execute(connection, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -1048576;");
        Execute(connection, "CREATE TABLE stripe (txn TEXT NOT NULL, src TEXT NOT NULL, amount INTEGER NOT NULL, fee INTEGER NOT NULL, created INTEGER NOT NULL);"
            + "CREATE TABLE ledger (ref TEXT NOT NULL, obj TEXT, amount INTEGER NOT NULL, fee INTEGER NOT NULL, day INTEGER NOT NULL);");

        using var process = Process.GetCurrentProcess();
        var load = Timed.Start(process);
        using (var transaction = connection.BeginTransaction())
        {
            using var insertStripe = Prepared(connection, transaction, "INSERT INTO stripe VALUES ($a, $b, $c, $d, $e)", 5);
            foreach (var item in stripe)
            {
                Bind(insertStripe, item.BalanceTransactionId, item.SourceId, item.AmountMinor, item.FeeMinor, item.Created.ToUnixTimeSeconds());
                insertStripe.ExecuteNonQuery();
            }

            using var insertLedger = Prepared(connection, transaction, "INSERT INTO ledger VALUES ($a, $b, $c, $d, $e)", 5);
            foreach (var item in ledger)
            {
                Bind(insertLedger, item.EntryRef, item.StripeObjectId, item.AmountMinor, item.FeeMinor, Day(item.EffectiveDate));
                insertLedger.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        var loaded = load.Stop();

        // First the join on SQLite's own automatic (transient) index, then with declared indexes.
        var autoJoin = Timed.Start(process);
        var autoFound = Join(connection);
        var autoJoined = autoJoin.Stop();

        var index = Timed.Start(process);
        Execute(connection, "CREATE INDEX ledger_obj ON ledger (obj); CREATE INDEX stripe_src ON stripe (src);");
        var indexed = index.Stop();

        var join = Timed.Start(process);
        var found = Join(connection);
        return new SqliteFigures(loaded, indexed, join.Stop(), found, autoJoined, autoFound);
    }

    // The same classification as the matcher's for unique ids: pairs where either side is in March, then each side alone.
    private static Counts Join(SqliteConnection connection)
    {
        var ledgerIn = $"(l.day >= {Day(March.Start)} AND l.day < {Day(March.End)})";
        var stripeIn = $"(s.created >= {March.StartInstant.ToUnixTimeSeconds()} AND s.created < {March.EndInstant.ToUnixTimeSeconds()})";
        using var pairs = connection.CreateCommand();
        pairs.CommandText =
            $"SELECT SUM(s.amount <> l.amount), SUM(s.amount = l.amount AND s.fee <> l.fee), "
            + $"SUM(s.amount = l.amount AND s.fee = l.fee AND {stripeIn} <> {ledgerIn}), SUM(s.amount = l.amount AND s.fee = l.fee AND {stripeIn} = {ledgerIn}) "
            + $"FROM stripe s JOIN ledger l ON l.obj = s.src WHERE {stripeIn} OR {ledgerIn}";
        using var reader = pairs.ExecuteReader();
        reader.Read();
        var (amount, fee, timing, matched) = (reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3));
        var stripeOnly = Scalar(connection, $"SELECT COUNT(*) FROM stripe s LEFT JOIN ledger l ON l.obj = s.src WHERE l.obj IS NULL AND {stripeIn}");
        var ledgerOnly = Scalar(connection, $"SELECT COUNT(*) FROM ledger l LEFT JOIN stripe s ON s.src = l.obj WHERE s.src IS NULL AND {ledgerIn}");
        return new Counts(amount, fee, timing, stripeOnly, ledgerOnly, matched);
    }

    private static int Day(LocalDate date) => date.ToDateOnly().DayNumber;

    private static int Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static SqliteCommand Prepared(SqliteConnection connection, SqliteTransaction transaction, string sql, int parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        for (var p = 0; p < parameters; p++)
        {
            command.Parameters.Add(new SqliteParameter("$" + (char)('a' + p), null));
        }

        command.Prepare();
        return command;
    }

    private static void Bind(SqliteCommand command, params object?[] values)
    {
        for (var p = 0; p < values.Length; p++)
        {
            command.Parameters[p].Value = values[p] ?? DBNull.Value;
        }
    }

    private sealed record SqliteFigures(Timing Load, Timing Index, Timing Join, Counts Found, Timing AutoJoin, Counts AutoIndexFound);

    private readonly record struct Timing(long Ms, long CpuMs);

    // Wall time and the process's CPU time: on a shared, loaded machine the CPU time is the steadier of the two.
    private sealed class Timed
    {
        private readonly Process process;
        private readonly Stopwatch clock;
        private readonly TimeSpan cpuBefore;

        private Timed(Process process)
        {
            this.process = process;
            process.Refresh();
            cpuBefore = process.TotalProcessorTime;
            clock = Stopwatch.StartNew();
        }

        public static Timed Start(Process process) => new(process);

        public Timing Stop()
        {
            clock.Stop();
            process.Refresh();
            return new Timing(clock.ElapsedMilliseconds, (long)(process.TotalProcessorTime - cpuBefore).TotalMilliseconds);
        }
    }

    private readonly record struct Counts(int AmountDiffers, int FeeDiffers, int Timing, int InStripeOnly, int InLedgerOnly, int Matched)
    {
        public string Row => string.Create(
            CultureInfo.InvariantCulture,
            $"{AmountDiffers:N0} | {FeeDiffers:N0} | {Timing:N0} | {InStripeOnly:N0} | {InLedgerOnly:N0} | {Matched:N0}");

        public static Counts Of(MatchOutcome outcome) => new(
            outcome.Count(ReconciliationKind.AmountDiffers),
            outcome.Count(ReconciliationKind.FeeDiffers),
            outcome.Count(ReconciliationKind.Timing),
            outcome.Count(ReconciliationKind.InStripeOnly),
            outcome.Count(ReconciliationKind.InLedgerOnly),
            outcome.MatchedById + outcome.MatchedByRule);
    }
}
