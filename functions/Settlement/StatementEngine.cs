namespace ServiceLedger.Functions.Settlement;

using System.Globalization;
using NodaTime;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Money;
using ServiceLedger.Functions.Statements;

/// <summary>What a run hands the settlement engine for one contract and period.</summary>
/// <param name="Contract">The contract with all its versions.</param>
/// <param name="Period">The period to settle.</param>
/// <param name="Version">The statement version to issue (1 unless the period was issued before).</param>
/// <param name="Report">The latest service report for the period; null when none is needed and none was sent.</param>
/// <param name="Prior">The contract's earlier statements and pending corrections.</param>
/// <param name="IssuedOn">Today in the contract's time zone.</param>
/// <param name="InputsFingerprint">The fingerprint of these inputs, stored with the statement.</param>
public sealed record SettlementRequest(
    Contract Contract,
    SettlementPeriod Period,
    int Version,
    ServiceReportVersion? Report,
    ContractStatements Prior,
    LocalDate IssuedOn,
    string InputsFingerprint);

/// <summary>A computed statement and the ledger entry that posts it (key <c>statement:{contract}:{period}:v{n}</c>).</summary>
/// <param name="Statement">The statement to store.</param>
/// <param name="Entry">The entry to append: debit merchant receivable; credit vendor payable and platform revenue.</param>
public sealed record SettledStatement(StatementRecord Statement, ProposedEntry Entry);

/// <summary>
/// The seam between runs and the pure settlement engine (domain/Settlement): runs gather inputs, the engine computes, runs
/// store and post. Swapping the engine is one registration.
/// </summary>
public interface IStatementEngine
{
    /// <summary>True when a statement under <paramref name="terms"/> cannot be computed without the period's service report.</summary>
    bool NeedsServiceReport(Terms terms);

    /// <summary>The statement for <paramref name="request"/>, or the refusals that stop it (e.g. a due date in a year without a holiday calendar).</summary>
    Validated<SettledStatement> Settle(SettlementRequest request);
}

/// <summary>
/// Interim engine used until domain/Settlement's engine is merged: base fee prorated by service days, commission at the
/// tier of the period's conversion, platform fee at the contract's rate, the vendor's share the rest, due after the
/// payment terms' working days. No SLA credits, late penalties, disputes or deposits.
/// </summary>
public sealed class InterimStatementEngine(IWorkingDayCalendar calendar) : IStatementEngine
{
    /// <inheritdoc />
    public bool NeedsServiceReport(Terms terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        return terms.Mode == CooperationMode.BasePlusCommission;
    }

    /// <inheritdoc />
    public Validated<SettledStatement> Settle(SettlementRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var contract = request.Contract;
        var period = request.Period;
        var terms = contract.TermsOn(period.LastDay) ?? contract.TermsOn(period.Start)
            ?? throw new InvalidOperationException($"Contract {contract.Id} has no terms in force in {period}; the run should not have settled it.");
        var currency = terms.Currency;
        var days = period.DaysOverlapping(terms.Term.StartOn, terms.Term.EndOn.PlusDays(1));
        var baseFee = (terms.BaseFeePerPeriod * ((decimal)days / period.Days)).RoundToMinorUnit();
        var lines = new List<StatementLine>
        {
            new("base-fee", "Base service fee", baseFee, Invariant($"{terms.BaseFeePerPeriod.FormatAmount()} × {days}/{period.Days} service days")),
        };

        var figures = request.Report?.Figures;
        var sales = figures?.AttributedSales ?? Money.Zero(currency);
        var commission = Money.Zero(currency);
        var tier = figures is null ? null : terms.TierFor(figures.Conversion);
        if (tier is not null && figures is not null)
        {
            commission = sales.MultiplyBy(tier.Rate);
            lines.Add(new("commission", "Commission", commission, Invariant(
                $"{sales.FormatAmount()} attributed sales × {tier.Rate} (conversion {figures.ConvertedInquiries}/{figures.Inquiries} in band {tier.Band})")));
        }

        var total = Money.Sum(lines.Select(line => line.Amount), currency);
        var platformFee = total.MultiplyBy(terms.PlatformFeeRate);
        var vendorShare = total - platformFee;
        var due = DueDates.Statement(request.IssuedOn, terms, calendar);
        if (!due.IsValid)
        {
            return Validated.Refused<SettledStatement>(due.Refusals);
        }

        var statementId = StatementRecord.IdFor(contract.Id, period, request.Version);
        var postings = new List<Posting> { Posting.Debit(AccountId.MerchantReceivable(contract.Merchant.Value), total) };
        if (!vendorShare.IsZero)
        {
            postings.Add(Posting.Credit(AccountId.VendorPayable(contract.Vendor.Value), vendorShare));
        }

        if (!platformFee.IsZero)
        {
            postings.Add(Posting.Credit(AccountId.PlatformRevenue, platformFee));
        }

        var entry = ProposedEntry.Create(
            contract.Id.Book,
            IdempotencyKey.ForStatement(contract.Id.Value, period.ToString(), request.Version),
            period.LastDay,
            Invariant($"Statement {statementId} for {period}"),
            postings,
            [SourceReference.Statement(statementId)]);
        if (!entry.IsValid)
        {
            return Validated.Refused<SettledStatement>(entry.Refusals);
        }

        var statement = new StatementRecord
        {
            Id = statementId,
            Contract = contract.Id,
            Merchant = contract.Merchant,
            Vendor = contract.Vendor,
            Period = period,
            Version = request.Version,
            TimeZone = terms.TimeZone,
            IssuedOn = request.IssuedOn,
            DueOn = due.Value,
            Total = total,
            VendorShare = vendorShare,
            PlatformFee = platformFee,
            Lines = lines,
            Commission = new CommissionFigures(
                figures?.Inquiries ?? 0,
                figures?.ConvertedInquiries ?? 0,
                sales,
                tier?.Rate,
                commission,
                baseFee,
                Money.Zero(currency),
                Money.Zero(currency)),
            InputsFingerprint = request.InputsFingerprint,
            LedgerEntryId = string.Empty,
        };
        return Validated.Valid(new SettledStatement(statement, entry.Value));
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
