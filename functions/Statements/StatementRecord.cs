namespace ServiceLedger.Functions.Statements;

using System.Globalization;
using NodaTime;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Money;
using ServiceLedger.Domain.Parties;

/// <summary>One line of an issued statement: what it is, its rounded amount, and how it was computed (for people).</summary>
/// <param name="Code">A stable line kind, e.g. <c>base-fee</c>, <c>commission</c>, <c>sla-credit</c>.</param>
/// <param name="Description">What the line is, for people.</param>
/// <param name="Amount">The line's amount, rounded once; credits are negative.</param>
/// <param name="How">How the amount was computed, e.g. <c>10,000.00 × 18/31 service days</c>.</param>
public sealed record StatementLine(string Code, string Description, Money Amount, string How);

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
    public const string IdPrefix = "stm_";

    /// <summary><c>stm_{contract without ctr_}_{period}_v{version}</c>: the id names where the statement is stored.</summary>
    public required string Id { get; init; }

    /// <summary>The contract.</summary>
    public required ContractId Contract { get; init; }

    /// <summary>The merchant who pays it.</summary>
    public required MerchantId Merchant { get; init; }

    /// <summary>The vendor paid from it.</summary>
    public required VendorId Vendor { get; init; }

    /// <summary>The period it settles.</summary>
    public required SettlementPeriod Period { get; init; }

    /// <summary>1 for the period's statement; higher only if a period were ever re-issued.</summary>
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

    /// <summary>The lines, in statement order.</summary>
    public required IReadOnlyList<StatementLine> Lines { get; init; }

    /// <summary>The commission statement figures.</summary>
    public required CommissionFigures Commission { get; init; }

    /// <summary>Hash of the inputs it was computed from (contract versions, service report version).</summary>
    public required string InputsFingerprint { get; init; }

    /// <summary>The ledger entry that posted it (<c>{book}/{sequence}</c>).</summary>
    public required string LedgerEntryId { get; init; }

    /// <summary>The id of the statement of <paramref name="contract"/> for <paramref name="period"/>, version <paramref name="version"/>.</summary>
    public static string IdFor(ContractId contract, SettlementPeriod period, int version) =>
        string.Create(CultureInfo.InvariantCulture, $"{IdPrefix}{contract.Value[ContractId.Prefix.Length..]}_{period}_v{version}");

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
public sealed record PendingCorrection(ContractId Contract, SettlementPeriod Period, string SettledStatementId, string InputsFingerprint, string Reason, Instant RecordedAt);
