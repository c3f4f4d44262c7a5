using NodaTime;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Parties;

namespace ServiceLedger.Domain.Settlement;

using ServiceLedger.Domain.Money;

/// <summary>
/// What a statement's ledger entry is made of (<see cref="StatementLedgerEntry"/>): its ids, issue day, totals, late penalties,
/// deposit applied and lines (for the statements they reference). Made from an engine <see cref="Statement"/> (<see cref="Of"/>)
/// or from an issued statement as stored (<see cref="FromIssued"/>), which keeps its lines and totals but not the penalties and
/// deposit: those are found from the lines by the engine's own rules, so a stored statement posts byte for byte the entry the
/// engine's statement would. Equality is by reference; compare the entries' request hashes for content.
/// </summary>
public sealed class StatementPosting
{
    private StatementPosting()
    {
    }

    /// <summary>The statement's id.</summary>
    public required StatementId Id { get; init; }

    /// <summary>The contract (its book receives the entry).</summary>
    public required ContractId Contract { get; init; }

    /// <summary>The merchant whose receivable and deposit are debited.</summary>
    public required MerchantId Merchant { get; init; }

    /// <summary>The vendor whose payable is credited.</summary>
    public required VendorId Vendor { get; init; }

    /// <summary>The period; with <see cref="Version"/> it keys the entry.</summary>
    public required SettlementPeriod Period { get; init; }

    /// <summary>The statement's version, 1 or more.</summary>
    public required int Version { get; init; }

    /// <summary>The issue day: the entry's effective date.</summary>
    public required LocalDate IssuedOn { get; init; }

    /// <summary>The lines (only their kinds, amounts and referenced statements matter to the entry).</summary>
    public required IReadOnlyList<StatementLine> Lines { get; init; }

    /// <summary>What the merchant owes: the receivable debit.</summary>
    public required Money Total { get; init; }

    /// <summary>The vendor's share: the payable credit.</summary>
    public required Money VendorShare { get; init; }

    /// <summary>The platform's fee: the revenue credit.</summary>
    public required Money PlatformFee { get; init; }

    /// <summary>Late penalties and their corrections: the penalty revenue credit.</summary>
    public required Money LatePenalties { get; init; }

    /// <summary>The deposit applied, zero or positive: the deposit debit.</summary>
    public required Money DepositApplied { get; init; }

    /// <summary>The posting of an engine statement, with the totals the engine computed.</summary>
    public static StatementPosting Of(Statement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        return new StatementPosting
        {
            Id = statement.Id,
            Contract = statement.Contract,
            Merchant = statement.Merchant,
            Vendor = statement.Vendor,
            Period = statement.Period,
            Version = statement.Version,
            IssuedOn = statement.IssuedOn,
            Lines = statement.Lines,
            Total = statement.Total,
            VendorShare = statement.VendorShare,
            PlatformFee = statement.PlatformFee,
            LatePenalties = statement.LatePenalties,
            DepositApplied = statement.DepositApplied,
        };
    }

    /// <summary>
    /// The posting of an issued statement as stored: late penalties are the sum of the penalty lines and their corrections,
    /// the deposit applied is the deposit line negated (as <see cref="StatementBuilder"/> sums them). Throws when the stored
    /// figures do not add up as the engine asserted when it built them (Σ lines = total; fee-bearing lines = vendor share +
    /// platform fee; total = fee-bearing + penalties − deposit): such a row was altered, and posting it would book something
    /// the engine never computed.
    /// </summary>
    public static StatementPosting FromIssued(
        ContractId contract,
        MerchantId merchant,
        VendorId vendor,
        SettlementPeriod period,
        int version,
        LocalDate issuedOn,
        IReadOnlyList<StatementLine> lines,
        Money total,
        Money vendorShare,
        Money platformFee)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var currency = total.Currency;
        var id = StatementId.For(contract, period, version);
        var sum = Money.Sum(lines.Select(line => line.Amount), currency);
        var feeBearing = Money.Sum(lines.Where(StatementLineKinds.IsFeeBearing).Select(line => line.Amount), currency);
        var penalties = Money.Sum(lines.Where(StatementLineKinds.IsPenalty).Select(line => line.Amount), currency);
        var deposit = -Money.Sum(lines.Where(line => line.Kind == StatementLineKind.DepositApplied).Select(line => line.Amount), currency);
        if (sum != total || vendorShare + platformFee != feeBearing || feeBearing + penalties - deposit != total)
        {
            throw new InvalidOperationException(
                $"Stored statement {id} does not add up: lines {sum}, total {total}, fee-bearing {feeBearing}, vendor share {vendorShare}, platform fee {platformFee}, penalties {penalties}, deposit {deposit}.");
        }

        return new StatementPosting
        {
            Id = id,
            Contract = contract,
            Merchant = merchant,
            Vendor = vendor,
            Period = period,
            Version = version,
            IssuedOn = issuedOn,
            Lines = lines,
            Total = total,
            VendorShare = vendorShare,
            PlatformFee = platformFee,
            LatePenalties = penalties,
            DepositApplied = deposit,
        };
    }
}
