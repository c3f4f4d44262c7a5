namespace ServiceLedger.Functions.Statements;

using System.Globalization;
using ServiceLedger.Domain.Money;
using ServiceLedger.Domain.Settlement;
using ServiceLedger.Functions.Contracts;
using ServiceLedger.Functions.Payments;

/// <summary>One statement line on the wire, with how it was computed.</summary>
/// <param name="Kind">The line kind, e.g. <c>BaseFee</c>, <c>Commission</c>, <c>SlaCredit</c>, <c>Correction</c>.</param>
/// <param name="Amount">The rounded amount; credits negative.</param>
/// <param name="How">The inputs and formula that gave the amount.</param>
/// <param name="Reference">What the line is about outside the statement (a dispute, an earlier statement), or null.</param>
public sealed record StatementLineView(string Kind, MoneyView Amount, string How, string? Reference);

/// <summary>A memo line: a credit note of a resolved dispute, booked in the ledger at resolution, so not in the statement's total.</summary>
/// <param name="StatementId">The disputed statement it credits.</param>
/// <param name="Reference">The dispute, <c>dispute:{id}</c>.</param>
/// <param name="Credited">The amount credited (positive).</param>
/// <param name="ResolvedOn">The day the dispute was resolved, <c>yyyy-MM-dd</c>.</param>
public sealed record CreditNoteView(string StatementId, string Reference, MoneyView Credited, string ResolvedOn)
{
    /// <summary>The wire form of <paramref name="note"/>.</summary>
    public static CreditNoteView Of(CreditNote note)
    {
        ArgumentNullException.ThrowIfNull(note);
        return new(note.Statement.Value, note.Reference, MoneyView.Of(note.Credited), StatementView.IsoDate(note.ResolvedOn));
    }
}

/// <summary>A statement on the wire (dates ISO, money as decimal strings).</summary>
/// <param name="StatementId">The id.</param>
/// <param name="ContractId">The contract.</param>
/// <param name="MerchantId">The merchant who pays it.</param>
/// <param name="VendorId">The vendor paid from it.</param>
/// <param name="Period">The period, <c>2027-03</c> or <c>2027-Q1</c>.</param>
/// <param name="Version">The version.</param>
/// <param name="IssuedOn">Issued on, in the contract's zone.</param>
/// <param name="DueOn">Due on, in the contract's zone; null for a recomputed statement (never payable).</param>
/// <param name="Total">What the merchant owes.</param>
/// <param name="VendorShare">The vendor's part.</param>
/// <param name="PlatformFee">The platform's part.</param>
/// <param name="Lines">The lines.</param>
/// <param name="LedgerEntryId">
/// The ledger entry that posted it (<c>book#sequence</c>). A single read finds it by the statement's key; in lists it is the one the
/// row names, which may be empty (the entry carries <c>statement:{contract}:{period}:v{n}</c>). Empty on a single read: nothing
/// posted yet (a crash came between storing and posting; the redelivery posts it), or nothing to post (every amount zero), or a
/// recomputed statement (never posted: only its difference is).
/// </param>
public sealed record StatementView(
    string StatementId,
    string ContractId,
    string MerchantId,
    string VendorId,
    string Period,
    int Version,
    string IssuedOn,
    string? DueOn,
    MoneyView Total,
    MoneyView VendorShare,
    MoneyView PlatformFee,
    IReadOnlyList<StatementLineView> Lines,
    string LedgerEntryId)
{
    /// <summary>The wire form of <paramref name="statement"/>.</summary>
    public static StatementView Of(StatementRecord statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        return new(
            statement.Id,
            statement.Contract.Value,
            statement.Merchant.Value,
            statement.Vendor.Value,
            statement.Period.ToString(),
            statement.Version,
            IsoDate(statement.IssuedOn),
            statement.IsRecomputed ? null : IsoDate(statement.DueOn),
            MoneyView.Of(statement.Total),
            MoneyView.Of(statement.VendorShare),
            MoneyView.Of(statement.PlatformFee),
            statement.Lines.Select(line => new StatementLineView(line.Kind.ToString(), MoneyView.Of(line.Amount), line.How, line.Reference)).ToArray(),
            statement.LedgerEntryId)
        {
            RecomputedFor = statement.RecomputedFor,
            CarriedBy = statement.CarriedBy,
            CorrectionOnlyAfter = statement.IsCorrectionOnly ? StatementRecord.IdFor(statement.Contract, statement.Period, StatementVersions.Issued) : null,
            CreditNotes = [.. statement.CreditNotes.Select(CreditNoteView.Of)],
        };
    }

    /// <summary>
    /// Memo lines: credit notes of resolved disputes booked since the previous statement (on any of the contract's statements).
    /// Shown, not lines: they were booked at resolution, so <see cref="Total"/> does not include them.
    /// </summary>
    public IReadOnlyList<CreditNoteView> CreditNotes { get; init; } = [];

    /// <summary>Credit notes of resolved disputes on this statement (on a single statement's read; absent in lists).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public MoneyView? Credited { get; init; }

    /// <summary>
    /// <paramref name="notes"/>, the credit notes on this statement, as <see cref="Credited"/>, taken off <see cref="Outstanding"/>
    /// (not below zero): the merchant owes the total less what was paid and what was credited. Apply after the payments.
    /// </summary>
    public StatementView WithCreditNotes(IReadOnlyList<CreditNote> notes)
    {
        ArgumentNullException.ThrowIfNull(notes);
        var currency = Currency.FromCode(Total.Currency);
        var credited = Money.Sum(notes.Where(note => note.Credited.Currency == currency).Select(note => note.Credited), currency);
        if (Outstanding is null)
        {
            return this with { Credited = MoneyView.Of(credited) };
        }

        var total = new Money(decimal.Parse(Total.Amount, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture), currency);
        var paid = Paid is null ? Money.Zero(currency) : new Money(decimal.Parse(Paid.Amount, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture), currency);
        var owed = total - paid - credited;
        return this with
        {
            Credited = MoneyView.Of(credited),
            Outstanding = MoneyView.Of(owed.IsNegative ? Money.Zero(currency) : owed),
            CreditBalance = owed.IsNegative ? MoneyView.Of(-owed) : null,
        };
    }

    /// <summary>
    /// What payments and credit notes came to beyond the total (e.g. a dispute accepted after the statement was paid): the
    /// merchant's credit balance on this statement; absent when there is none, and in lists.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public MoneyView? CreditBalance { get; init; }

    /// <summary>
    /// For a recomputed statement (a settled period recomputed with newer inputs; correction lines name it): the issued statement
    /// it recomputes. Absent for an issued statement.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? RecomputedFor { get; init; }

    /// <summary>For a recomputed statement: the issued statement that carried its difference. Absent for an issued statement.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? CarriedBy { get; init; }

    /// <summary>
    /// For a correction-only statement (corrections that reached settled periods after the contract's final statement, which
    /// has no next statement to carry them): the final statement it follows, of the same period. Absent otherwise.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? CorrectionOnlyAfter { get; init; }

    /// <summary>Recorded payments of the statement (on a single statement's read; absent in lists).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public MoneyView? Paid { get; init; }

    /// <summary>The total less <see cref="Paid"/>, not below zero (on a single statement's read; absent in lists).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public MoneyView? Outstanding { get; init; }

    /// <summary>The payments, in the order received (on a single statement's read; absent in lists).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<StatementPaymentView>? Payments { get; init; }

    /// <summary><c>yyyy-MM-dd</c>.</summary>
    public static string IsoDate(NodaTime.LocalDate date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>A page of statements.</summary>
/// <param name="Items">The statements.</param>
/// <param name="ContinuationToken">Pass it back for the next page; null on the last.</param>
public sealed record StatementListView(IReadOnlyList<StatementView> Items, string? ContinuationToken);

/// <summary>One contract's row of a vendor's commission statement.</summary>
/// <param name="ContractId">The contract.</param>
/// <param name="StatementId">The statement it comes from.</param>
/// <param name="MerchantId">The merchant.</param>
/// <param name="AttributedSales">Sales attributed to customer service.</param>
/// <param name="Conversion">Converted / inquiries for the period, as a decimal fraction string (e.g. <c>0.4512</c>).</param>
/// <param name="TierRate">The commission rate of the tier that applied, as a decimal fraction string; null when none did.</param>
/// <param name="Commission">Commission.</param>
/// <param name="BaseFee">Base fee.</param>
/// <param name="SlaCredits">SLA credits (zero or negative).</param>
/// <param name="Adjustments">
/// Dispute adjustments and corrections of earlier periods' fee-bearing lines carried by this statement (either sign):
/// commission + base fee + SLA credits + adjustments = platform fee + vendor share.
/// </param>
/// <param name="PlatformFee">The platform's fee.</param>
/// <param name="VendorShare">The vendor's share of the fee-bearing lines.</param>
/// <param name="DisputedOnHold">Held back for open disputes.</param>
/// <param name="NetPayable">What the vendor is paid for this contract: its share less amounts on hold.</param>
public sealed record CommissionLineView(
    string ContractId,
    string StatementId,
    string MerchantId,
    MoneyView AttributedSales,
    string Conversion,
    string? TierRate,
    MoneyView Commission,
    MoneyView BaseFee,
    MoneyView SlaCredits,
    MoneyView Adjustments,
    MoneyView PlatformFee,
    MoneyView VendorShare,
    MoneyView DisputedOnHold,
    MoneyView NetPayable);

/// <summary>A currency's totals on a commission statement.</summary>
/// <param name="Currency">The currency.</param>
/// <param name="NetPayable">Sum of the contracts' net payable.</param>
/// <param name="PaymentsMade">Everything paid out to the vendor so far (debits to its payable account), not only for this period.</param>
public sealed record CommissionTotalView(string Currency, MoneyView NetPayable, MoneyView PaymentsMade);

/// <summary>A vendor's commission statement for a period: one row per settled contract.</summary>
/// <param name="VendorId">The vendor.</param>
/// <param name="Period">The period.</param>
/// <param name="Contracts">One row per contract.</param>
/// <param name="Totals">Per currency.</param>
public sealed record CommissionStatementView(string VendorId, string Period, IReadOnlyList<CommissionLineView> Contracts, IReadOnlyList<CommissionTotalView> Totals);

/// <summary>Unpaid amounts by how overdue they are.</summary>
/// <param name="Current">Not overdue.</param>
/// <param name="Days1To30">1 to 30 days overdue.</param>
/// <param name="Days31To60">31 to 60 days overdue.</param>
/// <param name="Days61To90">61 to 90 days overdue.</param>
/// <param name="Over90">More than 90 days overdue.</param>
/// <param name="Total">All unpaid.</param>
public sealed record AgeingBucketsView(MoneyView Current, MoneyView Days1To30, MoneyView Days31To60, MoneyView Days61To90, MoneyView Over90, MoneyView Total)
{
    /// <summary>The wire form of one line's buckets.</summary>
    public static AgeingBucketsView Of(AgeingLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return new(
            MoneyView.Of(line.Buckets[AgeingBucket.Current]),
            MoneyView.Of(line.Buckets[AgeingBucket.Days1To30]),
            MoneyView.Of(line.Buckets[AgeingBucket.Days31To60]),
            MoneyView.Of(line.Buckets[AgeingBucket.Days61To90]),
            MoneyView.Of(line.Buckets[AgeingBucket.Over90]),
            MoneyView.Of(line.Total));
    }
}

/// <summary>One merchant's ageing in one currency.</summary>
/// <param name="MerchantId">The merchant.</param>
/// <param name="Buckets">The buckets.</param>
public sealed record AgeingMerchantView(string MerchantId, AgeingBucketsView Buckets);

/// <summary>Receivables ageing: totals per currency and the merchants with unpaid balances.</summary>
/// <param name="AsOf">Always <c>today in each contract's time zone</c>: the instant the report was computed, UTC.</param>
/// <param name="Totals">Per currency.</param>
/// <param name="Merchants">Per merchant and currency, at most <see cref="StatementQueries.MaxAgeingMerchantsListed"/>.</param>
/// <param name="StatementsCounted">How many statements were read.</param>
public sealed record AgeingView(string AsOf, IReadOnlyList<AgeingTotalView> Totals, IReadOnlyList<AgeingMerchantView> Merchants, int StatementsCounted);

/// <summary>A currency's ageing totals.</summary>
/// <param name="Currency">The currency.</param>
/// <param name="Buckets">The buckets.</param>
public sealed record AgeingTotalView(string Currency, AgeingBucketsView Buckets);
