using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodaTime;
using ServiceLedger.Domain.Billing;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Money;
using ServiceLedger.Domain.Parties;
using ServiceLedger.Functions.Adapters.Contracts;
using ServiceLedger.Functions.Adapters.Ledger;
using ServiceLedger.Functions.Adapters.Storage;
using ServiceLedger.Functions.Adapters.Tables;
using ServiceLedger.Functions.Configuration;
using ServiceLedger.Functions.Hosting;
using ServiceLedger.Functions.Ledger;
using ServiceLedger.Functions.Settlement;
using ServiceLedger.Functions.Statements;
using ServiceLedger.TestSupport.Azurite;
using ServiceLedger.TestSupport.Contracts;

namespace ServiceLedger.TestSupport.Settlement;

/// <summary>
/// The settlement capability wired as the app wires it (storage, ledger, contracts, working days, runs, queue functions),
/// against its own Azurite so that a run sees only this test's contracts. Service reports come from memory; the ledger
/// store can be told to crash right after a post for chosen contracts; queues are drained by several trigger pumps at
/// once (as several Functions instances would), one pass at a time, no sleeps.
/// </summary>
public sealed class SettlementHarness : IAsyncDisposable
{
    private readonly AzuriteInstance azurite;

    private SettlementHarness(AzuriteInstance azurite, ServiceProvider services, FakeClock clock, MemoryServiceReports reports, CrashingLedgerStore crashes)
    {
        this.azurite = azurite;
        Services = services;
        Clock = clock;
        Reports = reports;
        Crashes = crashes;
    }

    /// <summary>The wired services.</summary>
    public ServiceProvider Services { get; }

    /// <summary>The clock every service reads.</summary>
    public FakeClock Clock { get; }

    /// <summary>The service reports the runs read.</summary>
    public MemoryServiceReports Reports { get; }

    /// <summary>The ledger store, which can crash after a post.</summary>
    public CrashingLedgerStore Crashes { get; }

    /// <summary>Counts every storage request the services send.</summary>
    public StorageRequestCounter Counter => Services.GetRequiredService<StorageRequestCounter>();

    /// <summary>
    /// Starts a fresh Azurite and the services, with the clock at <paramref name="now"/> and the queue behaviour
    /// <paramref name="queues"/>; <paramref name="configure"/> adds or replaces services (e.g. the disputes' holds) and
    /// <paramref name="logging"/> adds log providers (none by default).
    /// </summary>
    public static async Task<SettlementHarness> StartAsync(
        Instant now, QueueTriggerSettings queues, Action<IServiceCollection>? configure = null, Action<ILoggingBuilder>? logging = null)
    {
        var azurite = await AzuriteInstance.StartAsync();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [AppSettings.StorageConnectionString] = azurite.ConnectionString })
            .Build();
        var clock = new FakeClock(now);
        var reports = new MemoryServiceReports();
        var collection = new ServiceCollection();
        collection
            .AddLogging(builder => logging?.Invoke(builder))
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton<IClock>(clock)
            .AddSingleton<TimeProvider>(clock)
            .AddSingleton(queues)
            .AddSingleton(SettlementOutcomeBatching.Off)
            .AddSingleton<IServiceReportSource>(reports)
            .AddSingleton<IContractStore, TableContractStore>()
            .AddSingleton<TableLedgerStore>()
            .AddSingleton<CrashingLedgerStore>(provider => new CrashingLedgerStore(provider.GetRequiredService<TableLedgerStore>()))
            .AddSingleton<ILedgerStore>(provider => provider.GetRequiredService<CrashingLedgerStore>())
            .AddStorage(configuration)
            .AddWorkingDayCalendar()
            .AddLedger()
            .AddSettlement();
        configure?.Invoke(collection);
        var services = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        await services.GetRequiredService<StorageProvisioner>().EnsureCreatedAsync(CancellationToken.None);
        return new SettlementHarness(azurite, services, clock, reports, services.GetRequiredService<CrashingLedgerStore>());
    }

    /// <summary>
    /// Stores <paramref name="count"/> active contracts on the sample terms (monthly, Asia/Shanghai) or on <paramref name="terms"/>,
    /// one merchant each and ten vendors between them, and returns them.
    /// </summary>
    public async Task<IReadOnlyList<Contract>> AddActiveContractsAsync(int count, string seed, TermsInput? terms = null)
    {
        var calendar = Services.GetRequiredService<IWorkingDayCalendar>();
        var template = SampleContracts.Active(calendar, terms is null ? null : Terms.Create(terms).Value);
        var contracts = Enumerable.Range(0, count).Select(index => template with
        {
            Id = ContractId.Derive($"{seed}-{index}"),
            Merchant = MerchantId.Derive($"{seed}-merchant-{index}"),
            Vendor = VendorId.Derive($"{seed}-vendor-{index % 10}"),
        }).ToArray();
        var store = Services.GetRequiredService<IContractStore>();
        await Parallel.ForEachAsync(contracts, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (contract, token) =>
        {
            if (await store.InsertAsync(contract, token) is not ContractWrite.Written)
            {
                throw new InvalidOperationException($"Contract {contract.Id} exists already; seeds must be unique.");
            }
        });
        return contracts;
    }

    /// <summary>Submits version <paramref name="version"/> of a report with sales of <paramref name="sales"/> CNY for each contract.</summary>
    public void Report(IEnumerable<Contract> contracts, SettlementPeriod period, string sales = "100000.00", int version = 1)
    {
        var figures = ServiceFigures.Create(1000, 420, new Money(decimal.Parse(sales, System.Globalization.CultureInfo.InvariantCulture), Currency.Cny), 25, null, null, null, null).Value;
        foreach (var contract in contracts)
        {
            Reports.Put(contract.Id, period, new ServiceReportVersion(version, figures));
        }
    }

    /// <summary>
    /// Starts a finance run of <paramref name="period"/> after moving the clock by <paramref name="advance"/>, drains the
    /// queues with one pump and returns the run's status.
    /// </summary>
    public async Task<SettlementRunStatus> RunPeriodAsync(SettlementPeriod period, Duration? advance = null)
    {
        Clock.Advance(advance ?? Duration.Zero);
        var run = await Services.GetRequiredService<SettlementRuns>().StartAsync(period, SettlementRuns.HttpTrigger, "finance-test", null, CancellationToken.None);
        await DrainAsync(workers: 1);
        return (await Services.GetRequiredService<SettlementRunStore>().ReadStatusAsync(run.Id, CancellationToken.None))!;
    }

    /// <summary>The contract's statements partition (statements, corrections, payments, credit notes), as settlement reads it.</summary>
    public Task<ContractStatements> ReadStatementsAsync(ContractId contract) =>
        Services.GetRequiredService<StatementStore>().ReadContractAsync(contract, CancellationToken.None);

    /// <summary>Drains every trigger queue with <paramref name="workers"/> pumps at once until a round does no work; returns the passes' totals.</summary>
    public async Task<PumpPass> DrainAsync(int workers = 8, int maxRounds = 2_000)
    {
        var pumps = Enumerable.Range(0, workers).Select(_ => ActivatorUtilities.CreateInstance<LocalTriggerPump>(Services)).ToArray();
        var total = new PumpPass();
        for (var round = 0; round < maxRounds; round++)
        {
            var passes = await Task.WhenAll(pumps.Select(pump => pump.RunOnceAsync(CancellationToken.None)));
            if (!passes.Any(pass => pass.DidWork))
            {
                return total;
            }

            foreach (var pass in passes)
            {
                total = new PumpPass(total.Handled + pass.Handled, total.Failed + pass.Failed, total.Poisoned + pass.Poisoned, total.TimersFired + pass.TimersFired);
            }
        }

        throw new InvalidOperationException($"The queues were not empty after {maxRounds} rounds.");
    }

    // Journal entries have RowKeys of 19 digits; digits sort before every letter.
    private const string FirstEntryRowKey = "0000000000000000000";
    private const string AfterEntryRowKeys = "a";

    /// <summary>Every row of <paramref name="table"/> whose RowKey lies in [<paramref name="from"/>, <paramref name="upTo"/>).</summary>
    public async Task<IReadOnlyList<TableEntity>> RowsAsync(string table, string from, string upTo)
    {
        var filter = TableFilter.And(
            TableFilter.Compare("RowKey", TableFilterOperator.GreaterThanOrEqual, from),
            TableFilter.Compare("RowKey", TableFilterOperator.LessThan, upTo));
        var rows = new List<TableEntity>();
        await foreach (var entity in Services.GetRequiredService<TableServiceClient>().GetTableClient(table).QueryAsync(new TableQuery(filter, top: 1000), 100, CancellationToken.None))
        {
            rows.Add(entity);
        }

        return rows;
    }

    /// <summary>
    /// Every journal entry row of every book (RowKeys of 19 digits): the contract books' in the statements table, where the
    /// ledger keeps them (<c>LedgerTables.ContractBooks</c>), and the other books' in the journal table.
    /// </summary>
    public async Task<IReadOnlyList<TableEntity>> JournalEntryRowsAsync()
    {
        var tables = Services.GetRequiredService<LedgerTables>();
        var contractBooks = tables.ContractBooks is { } shared ? await RowsAsync(shared, FirstEntryRowKey, AfterEntryRowKeys) : [];
        return [.. contractBooks, .. await RowsAsync(tables.Journal, FirstEntryRowKey, AfterEntryRowKeys)];
    }

    /// <summary>Stops the services and Azurite.</summary>
    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        azurite.Dispose();
    }
}

/// <summary>Service reports held in memory: the latest version per contract and period.</summary>
public sealed class MemoryServiceReports : IServiceReportSource
{
    private readonly ConcurrentDictionary<(ContractId, SettlementPeriod), ServiceReportVersion> reports = new();

    /// <summary>Makes <paramref name="report"/> the latest of the contract and period.</summary>
    public void Put(ContractId contract, SettlementPeriod period, ServiceReportVersion report) => reports[(contract, period)] = report;

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<SettlementPeriod, ServiceReportVersion>> ReadLatestAsync(ContractId contract, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<SettlementPeriod, ServiceReportVersion>>(
            reports.Where(pair => pair.Key.Item1 == contract).ToDictionary(pair => pair.Key.Item2, pair => pair.Value));
}

/// <summary>
/// The real ledger store, except that an append to a book in <see cref="CrashAfterPostOnce"/> throws once right after the
/// entry is written (the handler dies between the ledger post and what follows it), and an append to a book in
/// <see cref="CrashBeforePostOnce"/> throws once without writing (the handler dies between storing the statement and its post),
/// as a process crash would; an append to a book in <see cref="FailEveryPost"/> throws every time. The same holds for the
/// append that stores the statement in the entry's transaction (<see cref="IContractBookWrites"/>), except that a book set to
/// crash before its post declines it, so the handler takes the plain path (store, then post) and the crash falls between the
/// two: the window that path has, and that its repair covers.
/// </summary>
public sealed class CrashingLedgerStore(ILedgerStore inner) : ILedgerStore, IContractBookWrites
{
    private readonly ConcurrentDictionary<BookId, bool> crashOnce = new();
    private readonly ConcurrentDictionary<BookId, Action> crashBeforeOnce = new();
    private readonly ConcurrentDictionary<BookId, bool> failAlways = new();
    private int crashed;

    /// <summary>How many crashes were injected.</summary>
    public int Crashed => crashed;

    /// <summary>The next append to each of <paramref name="books"/> writes, then throws.</summary>
    public void CrashAfterPostOnce(IEnumerable<BookId> books)
    {
        foreach (var book in books)
        {
            crashOnce[book] = true;
        }
    }

    /// <summary>
    /// The next append to each of <paramref name="books"/> throws without writing; <paramref name="meanwhile"/> runs then, as
    /// something that happens after the crash and before the redelivery (a corrected report, a new hold).
    /// </summary>
    public void CrashBeforePostOnce(IEnumerable<BookId> books, Action? meanwhile = null)
    {
        foreach (var book in books)
        {
            crashBeforeOnce[book] = meanwhile ?? (() => { });
        }
    }

    /// <summary>Every append to each of <paramref name="books"/> throws without writing, until <see cref="StopFailing"/>: a fault no retry gets past.</summary>
    public void FailEveryPost(IEnumerable<BookId> books)
    {
        foreach (var book in books)
        {
            failAlways[book] = true;
        }
    }

    /// <summary>Appends to <paramref name="books"/> work again (the fault is fixed).</summary>
    public void StopFailing(IEnumerable<BookId> books)
    {
        foreach (var book in books)
        {
            failAlways.TryRemove(book, out _);
        }
    }

    /// <inheritdoc />
    public async Task<AppendResult> AppendAsync(ProposedEntry entry, CancellationToken cancellationToken)
    {
        if (failAlways.ContainsKey(entry.Book))
        {
            Interlocked.Increment(ref crashed);
            throw new IOException($"Injected fault posting {entry.IdempotencyKey} to {entry.Book}.");
        }

        if (crashBeforeOnce.TryRemove(entry.Book, out var meanwhile))
        {
            Interlocked.Increment(ref crashed);
            meanwhile();
            throw new IOException($"Injected crash before posting {entry.IdempotencyKey} to {entry.Book}.");
        }

        var result = await inner.AppendAsync(entry, cancellationToken);
        if (crashOnce.TryRemove(entry.Book, out _))
        {
            Interlocked.Increment(ref crashed);
            throw new IOException($"Injected crash after posting {entry.IdempotencyKey} to {entry.Book}.");
        }

        return result;
    }

    /// <inheritdoc />
    public Task<bool> OpenAccountsAsync(BookId book, IReadOnlyList<KeyValuePair<AccountId, Currency>> accounts, CancellationToken cancellationToken) =>
        inner is IContractBookWrites writes ? writes.OpenAccountsAsync(book, accounts, cancellationToken) : Task.FromResult(false);

    /// <inheritdoc />
    public bool RememberHead(BookId book, string table, string partitionKey, TableEntity? head) =>
        inner is IContractBookWrites writes && writes.RememberHead(book, table, partitionKey, head);

    /// <inheritdoc />
    public async Task<JournalEntry?> TryAppendWithAsync(ProposedEntry entry, Func<JournalEntry, IReadOnlyList<TableEntity>> alongside, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (inner is not IContractBookWrites writes || crashBeforeOnce.ContainsKey(entry.Book))
        {
            return null;
        }

        if (failAlways.ContainsKey(entry.Book))
        {
            Interlocked.Increment(ref crashed);
            throw new IOException($"Injected fault posting {entry.IdempotencyKey} to {entry.Book}.");
        }

        var appended = await writes.TryAppendWithAsync(entry, alongside, cancellationToken);
        if (appended is not null && crashOnce.TryRemove(entry.Book, out _))
        {
            Interlocked.Increment(ref crashed);
            throw new IOException($"Injected crash after posting {entry.IdempotencyKey} (with its statement) to {entry.Book}.");
        }

        return appended;
    }

    /// <inheritdoc />
    public Task<JournalEntry?> FindByIdempotencyKeyAsync(BookId book, IdempotencyKey key, CancellationToken cancellationToken) => inner.FindByIdempotencyKeyAsync(book, key, cancellationToken);

    /// <inheritdoc />
    public Task<BookHead> ReadHeadAsync(BookId book, CancellationToken cancellationToken) => inner.ReadHeadAsync(book, cancellationToken);

    /// <inheritdoc />
    public Task<LedgerPage<JournalEntry>> ReadEntriesAsync(BookId book, SequenceRange range, PageRequest page, CancellationToken cancellationToken) => inner.ReadEntriesAsync(book, range, page, cancellationToken);

    /// <inheritdoc />
    public Task<LedgerPage<JournalEntry>> ReadEntriesByEffectiveDateAsync(BookId book, DateInterval effectiveDates, PageRequest page, CancellationToken cancellationToken) =>
        inner.ReadEntriesByEffectiveDateAsync(book, effectiveDates, page, cancellationToken);

    /// <inheritdoc />
    public Task<LedgerPage<BookId>> ListBooksAsync(PageRequest page, CancellationToken cancellationToken) => inner.ListBooksAsync(page, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<AccountBalance>> ReadAccountBalancesAsync(AccountId account, CancellationToken cancellationToken) => inner.ReadAccountBalancesAsync(account, cancellationToken);

    /// <inheritdoc />
    public Task<LedgerPage<AccountBalance>> ReadBalancesAsync(PageRequest page, CancellationToken cancellationToken) => inner.ReadBalancesAsync(page, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<AccountId, Currency>> ReadAccountCurrenciesAsync(IReadOnlyCollection<AccountId> accounts, CancellationToken cancellationToken) =>
        inner.ReadAccountCurrenciesAsync(accounts, cancellationToken);

    /// <inheritdoc />
    public Task<AccountingPeriods> ReadPeriodsAsync(CancellationToken cancellationToken) => inner.ReadPeriodsAsync(cancellationToken);

    /// <inheritdoc />
    public Task<ClosePeriodResult> ClosePeriodAsync(YearMonth period, string closedBy, LocalDate today, EntryHash reportHash, CancellationToken cancellationToken) =>
        inner.ClosePeriodAsync(period, closedBy, today, reportHash, cancellationToken);
}
