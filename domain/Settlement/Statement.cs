using NodaTime;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Parties;

namespace ServiceLedger.Domain.Settlement;

using ServiceLedger.Domain.Money;

/// <summary>
/// The settled result for one contract, period and version (DESIGN.md section 2, 对账单), built only by
/// <see cref="SettlementEngine.Settle"/>. Invariants (asserted when built): <see cref="Total"/> = Σ <see cref="Lines"/>;
/// <see cref="FeeBearingTotal"/> = <see cref="PlatformFee"/> + <see cref="VendorShare"/> exactly;
/// <see cref="Total"/> = <see cref="FeeBearingTotal"/> + <see cref="LatePenalties"/> − <see cref="DepositApplied"/>.
/// <see cref="CanonicalText"/> is a stable line-oriented form of every field and <see cref="ContentHash"/> its SHA-256, so
/// the same inputs give byte-identical statements. Equality is by reference; compare <see cref="ContentHash"/> for content.
/// </summary>
public sealed class Statement
{
    internal Statement()
    {
    }

    /// <summary>The statement's id, derived from contract, period and version.</summary>
    public required StatementId Id { get; init; }

    /// <summary>The contract settled.</summary>
    public required ContractId Contract { get; init; }

    /// <summary>The merchant who pays.</summary>
    public required MerchantId Merchant { get; init; }

    /// <summary>The vendor who is paid.</summary>
    public required VendorId Vendor { get; init; }

    /// <summary>The period the run settled; with <see cref="Version"/> it keys the ledger entry.</summary>
    public required SettlementPeriod Period { get; init; }

    /// <summary>The period whose service the fee lines bill: <see cref="Period"/> in arrears, or the next one in advance for fixed fee.</summary>
    public required SettlementPeriod BilledPeriod { get; init; }

    /// <summary>The statement's version for the contract and period, 1 or more.</summary>
    public required int Version { get; init; }

    /// <summary>The cooperation mode of the terms that governed the statement.</summary>
    public required CooperationMode Mode { get; init; }

    /// <summary>The currency of every amount.</summary>
    public required Currency Currency { get; init; }

    /// <summary>The day the statement was issued.</summary>
    public required LocalDate IssuedOn { get; init; }

    /// <summary>The day it is due: the terms' payment working days after <see cref="IssuedOn"/>.</summary>
    public required LocalDate DueOn { get; init; }

    /// <summary>True for the contract's final statement.</summary>
    public required bool IsFinal { get; init; }

    /// <summary>True for a correction-only statement of the final period (<see cref="StatementVersions.IsCorrectionOnly"/>): its lines are corrections only.</summary>
    public bool IsCorrectionOnly => StatementVersions.IsCorrectionOnly(Version);

    /// <summary>The lines, in canonical order (kind, then as computed).</summary>
    public required IReadOnlyList<StatementLine> Lines { get; init; }

    /// <summary>What the merchant owes on this statement: the sum of the lines (negative for a credit note).</summary>
    public required Money Total { get; init; }

    /// <summary>The sum of the fee-bearing lines (<see cref="StatementLineKinds.IsFeeBearing(StatementLine)"/>): what is split.</summary>
    public required Money FeeBearingTotal { get; init; }

    /// <summary>The platform's fee: <see cref="FeeBearingTotal"/> × the platform fee rate, allocated without losing a minor unit.</summary>
    public required Money PlatformFee { get; init; }

    /// <summary>The vendor's share: <see cref="FeeBearingTotal"/> − <see cref="PlatformFee"/>.</summary>
    public required Money VendorShare { get; init; }

    /// <summary>Late penalties (and corrections of them): the platform's penalty revenue in full.</summary>
    public required Money LatePenalties { get; init; }

    /// <summary>The deposit applied, zero or positive (the line carries it negative).</summary>
    public required Money DepositApplied { get; init; }

    /// <summary>Amounts under dispute, shown but not lines and not payable to the vendor.</summary>
    public required IReadOnlyList<HeldAmount> Held { get; init; }

    /// <summary>The sum of <see cref="Held"/>.</summary>
    public required Money HeldTotal { get; init; }

    /// <summary>
    /// Memo lines: credit notes of resolved disputes booked since the previous statement (by <see cref="CreditNote.ResolvedOn"/>,
    /// then reference). Already in the ledger, so they are not <see cref="Lines"/> and change neither <see cref="Total"/> nor the
    /// statement's entry; shown so the merchant sees what was credited.
    /// </summary>
    public required IReadOnlyList<CreditNote> CreditNotes { get; init; }

    /// <summary>What the vendor may be paid now: <see cref="VendorShare"/> less <see cref="HeldTotal"/> (held until the disputes end); may be negative.</summary>
    public Money VendorNetPayable => VendorShare - HeldTotal;

    /// <summary>The commission's inputs (sales, conversion, tier) for commission statements; null when no commission was computed.</summary>
    public required CommissionBasis? Commission { get; init; }

    /// <summary>The stable line-oriented text of every field (docs/settlement.md, "canonical form").</summary>
    public required string CanonicalText { get; init; }

    /// <summary>SHA-256 of the UTF-8 bytes of <see cref="CanonicalText"/>.</summary>
    public required EntryHash ContentHash { get; init; }
}

/// <summary>How commission was found: the period's figures and the tier their conversion fell in.</summary>
/// <param name="AttributedSales">Sales attributed to customer service in the period.</param>
/// <param name="Inquiries">Inquiries in the period.</param>
/// <param name="ConvertedInquiries">Inquiries that converted.</param>
/// <param name="Tier">The tier whose band holds converted / inquiries (exactly, no rounding).</param>
public sealed record CommissionBasis(Money AttributedSales, long Inquiries, long ConvertedInquiries, CommissionTier Tier)
{
    /// <summary>Converted / inquiries; 0 without inquiries.</summary>
    public decimal Conversion => Inquiries == 0 ? 0m : (decimal)ConvertedInquiries / Inquiries;
}
