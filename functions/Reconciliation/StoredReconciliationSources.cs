using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using NodaTime;
using ServiceLedger.Domain.Billing;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Reconciliation;
using ServiceLedger.Functions.Deposits;
using ServiceLedger.Functions.Ledger;
using ServiceLedger.Functions.Statements;

namespace ServiceLedger.Functions.Reconciliation;

/// <summary>
/// The run's sources over the real tables. Figures: every signed contract's settlement periods inside the run's period, the
/// latest shop export (read first: merchants upload fewer) and the latest service report, with the contract's tolerance.
/// Open statements: <see cref="StatementQueries.ReadOpenAsync"/> (the receivables ageing's allocation of payments).
/// Held deposits: the deposit register of every terminated or expired contract. Issued statements: every statement
/// whose issue date is in the period.
/// </summary>
public sealed class StoredReconciliationSources(
    IContractStore contracts,
    IServiceReportStore reports,
    IShopExportStore exports,
    ReconciliationTolerances tolerances,
    StatementStore statements,
    StatementQueries statementQueries,
    LedgerService ledger) : IReconciliationSources
{
    /// <summary>Most contracts a run reads; beyond it the run fails and says so rather than reconcile part of the platform.</summary>
    public const int MaxContracts = 100_000;

    /// <summary>Contracts whose figures or deposits are read at once.</summary>
    public const int MaxConcurrentReads = 8;

    /// <summary>Most statements issued in one run's period.</summary>
    public const int MaxIssuedStatements = 200_000;

    /// <inheritdoc />
    public async Task<IReadOnlyList<ContractFigures>> ReadFiguresAsync(ReconciliationPeriod period, CancellationToken cancellationToken)
    {
        var signed = new List<Contract>();
        await foreach (var contract in ListAsync(null, cancellationToken).ConfigureAwait(false))
        {
            // A contract never signed has no service, so no figures to compare.
            if (contract.SignedOn is not null)
            {
                signed.Add(contract);
            }
        }

        var found = new ConcurrentBag<ContractFigures>();
        await Parallel.ForEachAsync(
            signed,
            new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentReads, CancellationToken = cancellationToken },
            async (contract, token) =>
            {
                foreach (var settlementPeriod in SettlementPeriodsInside(period, contract.CurrentVersion.Terms.Cycle))
                {
                    if (await ReadFiguresAsync(contract.Id, settlementPeriod, token).ConfigureAwait(false) is { } figures)
                    {
                        found.Add(figures);
                    }
                }
            }).ConfigureAwait(false);
        return [.. found.OrderBy(figures => figures.ContractId, StringComparer.Ordinal).ThenBy(figures => figures.Period.Start)];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<OpenStatement>> ReadOpenStatementsAsync(CancellationToken cancellationToken) =>
        (await statementQueries.ReadOpenAsync(cancellationToken).ConfigureAwait(false))
            .Select(open => StatementRecord.TryParseId(open.Item.StatementId, out var contract, out _, out _)
                ? new OpenStatement(open.Item.StatementId, contract.Value, open.Item.DueOn, open.Open)
                : throw new InvalidOperationException($"Statement id {open.Item.StatementId} does not name its contract."))
            .ToArray();

    /// <inheritdoc />
    public async Task<IReadOnlyList<HeldDeposit>> ReadHeldDepositsAsync(CancellationToken cancellationToken)
    {
        var ended = new List<Contract>();
        foreach (var status in new[] { ContractStatus.Terminated, ContractStatus.Expired })
        {
            await foreach (var contract in ListAsync(status, cancellationToken).ConfigureAwait(false))
            {
                ended.Add(contract);
            }
        }

        var held = new ConcurrentBag<HeldDeposit>();
        await Parallel.ForEachAsync(
            ended,
            new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentReads, CancellationToken = cancellationToken },
            async (contract, token) =>
            {
                var register = await DepositRefunds.ReadRegisterAsync(ledger, contract, token).ConfigureAwait(false);
                if (register.Balance.Amount > 0m)
                {
                    held.Add(new HeldDeposit(contract.Id.Value, register.Balance, EndedOn(contract)));
                }
            }).ConfigureAwait(false);
        return [.. held.OrderBy(deposit => deposit.ContractId, StringComparer.Ordinal)];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<IssuedStatement>> ReadIssuedStatementsAsync(ReconciliationPeriod period, CancellationToken cancellationToken)
    {
        var issued = new List<IssuedStatement>();
        await foreach (var entity in statements.ScanAsync(new StatementFilter(null, null, null, null), cancellationToken).ConfigureAwait(false))
        {
            var statement = StatementStore.Read(entity);
            if (!period.Contains(statement.IssuedOn))
            {
                continue;
            }

            if (issued.Count == MaxIssuedStatements)
            {
                throw new InvalidOperationException($"More than {MaxIssuedStatements} statements were issued in {period}; the postings check must read them in pages.");
            }

            issued.Add(new IssuedStatement(
                statement.Id,
                statement.Contract,
                statement.Merchant,
                statement.Vendor,
                statement.Period,
                statement.Version,
                statement.Total,
                statement.VendorShare,
                statement.PlatformFee,
                statement.LedgerEntryId));
        }

        return issued;
    }

    /// <summary>The periods of <paramref name="cycle"/> that lie wholly inside <paramref name="period"/>, in order.</summary>
    public static IReadOnlyList<SettlementPeriod> SettlementPeriodsInside(ReconciliationPeriod period, SettlementCycle cycle)
    {
        var inside = new List<SettlementPeriod>();
        for (var candidate = SettlementPeriod.Containing(period.Start, cycle); candidate.Start < period.End; candidate = candidate.Next())
        {
            if (candidate.Start >= period.Start && candidate.End <= period.End)
            {
                inside.Add(candidate);
            }
        }

        return inside;
    }

    /// <summary>A settlement period as the run names it (<c>2027-03</c> or <c>2027-Q1</c>).</summary>
    public static ReconciliationPeriod AsReconciliationPeriod(SettlementPeriod period) => period.Cycle switch
    {
        SettlementCycle.Monthly => ReconciliationPeriod.Month(period.Start.ToYearMonth()),
        SettlementCycle.Quarterly => ReconciliationPeriod.Quarter(period.Year, period.Number),
        _ => throw new ArgumentOutOfRangeException(nameof(period), period, "A settlement period is monthly or quarterly."),
    };

    // The day service ended: the term's last day for an expired contract; for a terminated one the day it was terminated
    // (in the contract's zone), unless the term had already ended.
    private static LocalDate? EndedOn(Contract contract)
    {
        var terms = contract.CurrentVersion.Terms;
        return contract.Status switch
        {
            ContractStatus.Expired => terms.Term.EndOn,
            ContractStatus.Terminated => contract.History.LastOrDefault(change => change.Action == ContractActions.Terminated) is { } terminated
                ? LocalDate.Min(terminated.At.InZone(terms.TimeZone).Date, terms.Term.EndOn)
                : terms.Term.EndOn,
            _ => null,
        };
    }

    private async Task<ContractFigures?> ReadFiguresAsync(ContractId contract, SettlementPeriod period, CancellationToken cancellationToken)
    {
        var versions = await exports.ReadAsync(contract, period, cancellationToken).ConfigureAwait(false);
        if (versions.Count == 0)
        {
            return null;
        }

        var export = versions[^1];

        var report = (await reports.ReadAsync(contract, period, cancellationToken).ConfigureAwait(false)).Latest;
        if (report is null)
        {
            return null;
        }

        return new ContractFigures(
            contract.Value,
            AsReconciliationPeriod(period),
            new PartyFigures(report.Figures.AttributedSales, report.Figures.ConvertedInquiries, $"servicereport:{contract}:{period}:v{report.Version}"),
            new PartyFigures(export.Figures.Sales, export.Figures.ConvertedOrders, $"shopexport:{contract}:{period}:v{export.Version}"),
            await tolerances.FindAsync(contract, cancellationToken).ConfigureAwait(false));
    }

    private async IAsyncEnumerable<Contract> ListAsync(ContractStatus? status, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var listed = 0;
        string? token = null;
        do
        {
            var page = await contracts.ListAsync(new ContractFilter(null, null, status), IContractStore.MaxPageSize, token, cancellationToken).ConfigureAwait(false);
            foreach (var stored in page.Contracts)
            {
                if (++listed > MaxContracts)
                {
                    throw new InvalidOperationException($"More than {MaxContracts} contracts; a run must read them in pages.");
                }

                yield return stored.Contract;
            }

            token = page.ContinuationToken;
        }
        while (token is not null);
    }
}
