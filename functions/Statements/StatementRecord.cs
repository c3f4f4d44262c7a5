namespace ServiceLedger.Functions.Statements;

using System.Globalization;
using NodaTime;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Money;
using ServiceLedger.Domain.Parties;
using ServiceLedger.Domain.Settlement;

/// <summary>The figures a vendor's commission statement shows for one contract and period, as settled.</summary>
/// <param name="Inquiries">Inquiries in the period (0 when the contract needs no service report).</param>
/// <param name="ConvertedInquiries">Converted inquiries in the period.</param>
/// <param name="AttributedSales">Sales attributed to customer service.</param>
/// <param name="TierRate">The commission rate of the tier the period's conversion fell in; null when none applied.</param>
/// <param name="Commission">The commission line total.</param>
/// <param name="BaseFee">The base fee line total.</param>
/// <param name="SlaCredits">The SLA credit lines total (zero or negative).</param>
/// <param name="DisputedOnHold">Amounts held back for open disputes (zero until disputes feed statements).</param>
public sealed record CommissionFigures(
    long Inquiries,
    long ConvertedInquiries,
    Money AttributedSales,
    Domain.Money.Rate? TierRate,
    Money Commission,
    Money BaseFee,
    Money SlaCredits,
    Money DisputedOnHold)
{
    /// <summary>Converted / inquiries for the whole period, exact; 0 without inquiries.</summary>
    public decimal Conversion => Inquiries == 0 ? 0m : (decimal)ConvertedInquiries / Inquiries;
}

/// <summary>
/// An issued statement as stored (the settled result for one contract and period): never edited once written. A
/// correction to a settled period is recorded beside it (<see cref="PendingCorrection"/>) and goes to the next open
/// statement. <see cref="InputsFingerprint"/> says which inputs it was computed from, so a re-run can tell "already
/// settled" from "inputs changed".
/// </summary>
public sealed record StatementRecord
{
    /// <summary>The prefix of statement ids.</summary>
    public const string IdPrefix = StatementId.Prefix;

    /// <summary>The engine's <see cref="StatementId"/> text, <c>stm_{contract without ctr_}_{period}_v{version}</c>: it names where the statement is stored.</summary>
    public required string Id { get; init; }

    /// <summary>The contract.</summary>
    public required ContractId Contract { get; init; }

    /// <summary>The merchant who pays it.</summary>
    public required MerchantId Merchant { get; init; }

    /// <summary>The vendor paid from it.</summary>
    public required VendorId Vendor { get; init; }

    /// <summary>The period it settles.</summary>
    public required SettlementPeriod Period { get; init; }

    /// <summary>
    /// 1 for the period's statement; n+1, n+2, … for a recomputed statement of the period (see <see cref="RecomputedFor"/>);
    /// 101 and above for a correction-only statement of a final period (<see cref="IsCorrectionOnly"/>).
    /// </summary>
    public required int Version { get; init; }

    /// <summary>The contract's time zone: "today" for ageing is the date there.</summary>
    public required DateTimeZone TimeZone { get; init; }

    /// <summary>The day it was issued, in the contract's time zone.</summary>
    public required LocalDate IssuedOn { get; init; }

    /// <summary>The day payment is due, in the contract's time zone.</summary>
    public required LocalDate DueOn { get; init; }

    /// <summary>What the merchant owes: the sum of the lines.</summary>
    public required Money Total { get; init; }

    /// <summary>The vendor's part of <see cref="Total"/>.</summary>
    public required Money VendorShare { get; init; }

    /// <summary>The platform's part; <see cref="VendorShare"/> + this = <see cref="Total"/>.</summary>
    public required Money PlatformFee { get; init; }

    /// <summary>The lines, as the engine computed them (each says how).</summary>
    public required IReadOnlyList<StatementLine> Lines { get; init; }

    /// <summary>The commission statement figures.</summary>
    public required CommissionFigures Commission { get; init; }

    /// <summary>The engine's content hash (hex): equal for byte-identical statements.</summary>
    public required string ContentHash { get; init; }

    /// <summary>The engine's canonical text of the statement (every field): kept so the exact statement can be rendered or re-read.</summary>
    public required string CanonicalText { get; init; }

    /// <summary>Hash of the inputs it was computed from (contract versions, service report version).</summary>
    public required string InputsFingerprint { get; init; }

    /// <summary>
    /// The ledger entry that posted it (<c>book#sequence</c>), when the row knows it: empty when every amount was zero (nothing
    /// to post), and empty on a statement stored before its post (the row is the intent; the entry carries
    /// <see cref="PostingKey"/>) until a later handling confirmed the post on the row. Readers that need the entry find it by
    /// <see cref="PostingKey"/>.
    /// </summary>
    public required string LedgerEntryId { get; init; }

    /// <summary>
    /// For a recomputed statement (a settled period recomputed with today's inputs to correct it, never payable): the issued
    /// statement it recomputes; null for an issued statement.
    /// </summary>
    public string? RecomputedFor { get; init; }

    /// <summary>For a recomputed statement: the issued statement that carried its difference as correction lines; null otherwise.</summary>
    public string? CarriedBy { get; init; }

    /// <summary>True for a recomputed statement: stored so its id can be read, but not issued, posted or owed.</summary>
    public bool IsRecomputed => RecomputedFor is not null;

    /// <summary>
    /// True for a correction-only statement (<see cref="StatementVersions.IsCorrectionOnly"/>): issued after the contract's
    /// final statement of the same period to carry corrections that reached settled periods later; issued, posted and owed
    /// like any statement.
    /// </summary>
    public bool IsCorrectionOnly => !IsRecomputed && StatementVersions.IsCorrectionOnly(Version);

    /// <summary>The idempotency key of the ledger entry that posts it: <c>statement:{contract}:{period}:v{n}</c>.</summary>
    public IdempotencyKey PostingKey => IdempotencyKey.ForStatement(Contract.Value, Period.ToString(), Version);

    /// <summary>
    /// What its ledger entry is made of, rebuilt from the stored figures (<see cref="StatementPosting.FromIssued"/>): the entry
    /// equals, byte for byte, the one the engine's statement gave when it was settled.
    /// </summary>
    public StatementPosting Posting() =>
        StatementPosting.FromIssued(Contract, Merchant, Vendor, Period, Version, IssuedOn, Lines, Total, VendorShare, PlatformFee);

    /// <summary>
    /// The pending corrections (<see cref="PendingCorrection.Key"/>, ordinal order) whose lines this statement carries: written
    /// with the statement, so "applied" cannot be lost between the statement and the correction's own mark; empty when none.
    /// </summary>
    public IReadOnlyList<string> AppliedCorrections { get; init; } = [];

    /// <summary>The statement's memo lines: credit notes booked since the previous statement (not lines; the total excludes them).</summary>
    public IReadOnlyList<CreditNote> CreditNotes { get; init; } = [];

    /// <summary>The stored form of an engine <paramref name="statement"/>, as stored before it is posted (<see cref="LedgerEntryId"/> empty).</summary>
    public static StatementRecord From(Statement statement, DateTimeZone timeZone, string inputsFingerprint)
    {
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(timeZone);
        var currency = statement.Currency;
        Money SumOf(params StatementLineKind[] kinds) =>
            Money.Sum(statement.Lines.Where(line => kinds.Contains(line.Kind)).Select(line => line.Amount), currency);
        var basis = statement.Commission;
        return new StatementRecord
        {
            Id = statement.Id.Value,
            Contract = statement.Contract,
            Merchant = statement.Merchant,
            Vendor = statement.Vendor,
            Period = statement.Period,
            Version = statement.Version,
            TimeZone = timeZone,
            IssuedOn = statement.IssuedOn,
            DueOn = statement.DueOn,
            Total = statement.Total,
            VendorShare = statement.VendorShare,
            PlatformFee = statement.PlatformFee,
            Lines = statement.Lines,
            Commission = new CommissionFigures(
                basis?.Inquiries ?? 0,
                basis?.ConvertedInquiries ?? 0,
                basis?.AttributedSales ?? Money.Zero(currency),
                basis?.Tier.Rate,
                SumOf(StatementLineKind.Commission),
                SumOf(StatementLineKind.BaseFee, StatementLineKind.FixedFee),
                SumOf(StatementLineKind.SlaCredit),
                statement.HeldTotal),
            ContentHash = statement.ContentHash.Hex,
            CanonicalText = statement.CanonicalText,
            InputsFingerprint = inputsFingerprint,
            LedgerEntryId = string.Empty,
            CreditNotes = statement.CreditNotes,
        };
    }

    /// <summary>The id of the statement of <paramref name="contract"/> for <paramref name="period"/>, version <paramref name="version"/>.</summary>
    public static string IdFor(ContractId contract, SettlementPeriod period, int version) => StatementId.For(contract, period, version).Value;

    /// <summary>Reads an id made by <see cref="IdFor"/> back into its parts; false for anything else.</summary>
    public static bool TryParseId(string? id, out ContractId contract, out SettlementPeriod period, out int version)
    {
        contract = default;
        period = default;
        version = 0;
        if (id is null || id.Length > 200 || !id.StartsWith(IdPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = id[IdPrefix.Length..].Split('_');
        return parts.Length >= 3
            && parts[^1] is ['v', .. var digits] && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out version) && version is >= 1 and <= 999
            && SettlementPeriod.TryParse(parts[^2], out period)
            && ContractId.TryParse(ContractId.Prefix + string.Join('_', parts[..^2]), out contract);
    }
}

/// <summary>
/// A correction waiting for the next open statement: the inputs of a settled period changed (a corrected service report or
/// an amendment reaching back), so the period must be recomputed and the difference posted as an adjustment.
/// </summary>
/// <param name="Contract">The contract.</param>
/// <param name="Period">The settled period whose inputs changed.</param>
/// <param name="SettledStatementId">The statement issued for it.</param>
/// <param name="InputsFingerprint">The new inputs' fingerprint (one correction per distinct change).</param>
/// <param name="Reason">What changed, for people.</param>
/// <param name="RecordedAt">When the change was noticed.</param>
public sealed record PendingCorrection(ContractId Contract, SettlementPeriod Period, string SettledStatementId, string InputsFingerprint, string Reason, Instant RecordedAt)
{
    /// <summary>The correction's key within the contract, <c>{period}:{fingerprint}</c>: one per distinct change of a period.</summary>
    public string Key => $"{Period}:{InputsFingerprint}";

    /// <summary>The statement that carried its lines, once marked applied; null while it waits.</summary>
    public string? AppliedBy { get; init; }
}
