namespace ServiceLedger.Domain.Billing;

using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Money;
using ServiceLedger.Domain.Parties;
using ServiceLedger.Domain.Settlement;

/// <summary>
/// One contract's row of a vendor's commission statement, read off one issued <see cref="Statement"/>. Amounts are in the
/// statement's currency. The fee-bearing columns add up: <see cref="BaseFee"/> + <see cref="Commission"/> +
/// <see cref="SlaCredits"/> + <see cref="Adjustments"/> = <see cref="PlatformFee"/> + <see cref="VendorShare"/>;
/// <see cref="NetPayable"/> = <see cref="VendorShare"/> − <see cref="OnHold"/>; <see cref="Outstanding"/> =
/// <see cref="NetPayable"/> − <see cref="PaymentsMade"/>.
/// </summary>
public sealed record CommissionStatementLine
{
    /// <summary>The contract.</summary>
    public required ContractId Contract { get; init; }

    /// <summary>The statement the row is read from.</summary>
    public required StatementId Statement { get; init; }

    /// <summary>The period the statement settles.</summary>
    public required SettlementPeriod Period { get; init; }

    /// <summary>The statement's currency.</summary>
    public required Currency Currency { get; init; }

    /// <summary>Sales attributed to customer service; zero when the statement has no commission (fixed fee).</summary>
    public required Money AttributedSales { get; init; }

    /// <summary>Converted / inquiries of the period, exact; null without a commission basis.</summary>
    public required decimal? Conversion { get; init; }

    /// <summary>The commission rate of the tier the conversion fell in; null without a commission basis.</summary>
    public required Rate? TierRate { get; init; }

    /// <summary>Commission lines.</summary>
    public required Money Commission { get; init; }

    /// <summary>Base fee and fixed fee lines.</summary>
    public required Money BaseFee { get; init; }

    /// <summary>SLA credit lines (zero or negative).</summary>
    public required Money SlaCredits { get; init; }

    /// <summary>Dispute adjustments and corrections of fee-bearing lines.</summary>
    public required Money Adjustments { get; init; }

    /// <summary>The platform's fee on the fee-bearing lines.</summary>
    public required Money PlatformFee { get; init; }

    /// <summary>The vendor's share of the fee-bearing lines.</summary>
    public required Money VendorShare { get; init; }

    /// <summary>Disputed amounts held back until their disputes end.</summary>
    public required Money OnHold { get; init; }

    /// <summary>What the vendor is owed for the statement now: vendor share less the amounts on hold.</summary>
    public required Money NetPayable { get; init; }

    /// <summary>Payouts already made against this statement.</summary>
    public required Money PaymentsMade { get; init; }

    /// <summary>Net payable less payments made.</summary>
    public required Money Outstanding { get; init; }
}

/// <summary>The sums of a commission statement's rows in one currency (a vendor may serve contracts in several).</summary>
/// <param name="Currency">The currency.</param>
/// <param name="Commission">Σ commission.</param>
/// <param name="BaseFee">Σ base fee.</param>
/// <param name="SlaCredits">Σ SLA credits.</param>
/// <param name="Adjustments">Σ adjustments.</param>
/// <param name="PlatformFee">Σ platform fee.</param>
/// <param name="VendorShare">Σ vendor share.</param>
/// <param name="OnHold">Σ on hold.</param>
/// <param name="NetPayable">Σ net payable.</param>
/// <param name="PaymentsMade">Σ payments made.</param>
/// <param name="Outstanding">Σ outstanding.</param>
public sealed record CommissionStatementTotal(
    Currency Currency, Money Commission, Money BaseFee, Money SlaCredits, Money Adjustments, Money PlatformFee, Money VendorShare, Money OnHold, Money NetPayable, Money PaymentsMade, Money Outstanding);

/// <summary>
/// What a vendor earned in a period, per contract (DESIGN.md: commission statements): one row per issued statement of the
/// vendor's contracts, ordered by contract then statement id, and totals per currency ordered by currency code. A pure
/// view of statements: the same statements and payments always give the same commission statement.
/// </summary>
public sealed record CommissionStatement
{
    private CommissionStatement()
    {
    }

    /// <summary>The vendor.</summary>
    public required VendorId Vendor { get; init; }

    /// <summary>The period asked for.</summary>
    public required SettlementPeriod Period { get; init; }

    /// <summary>One row per statement.</summary>
    public required IReadOnlyList<CommissionStatementLine> Lines { get; init; }

    /// <summary>Totals per currency.</summary>
    public required IReadOnlyList<CommissionStatementTotal> Totals { get; init; }

    /// <summary>
    /// Builds the view from the vendor's <paramref name="statements"/> for <paramref name="period"/>, with
    /// <paramref name="paymentsMade"/> per statement (missing means none). A statement of another vendor, or a payment in
    /// another currency than its statement, is a bug and throws.
    /// </summary>
    public static CommissionStatement Build(
        VendorId vendor, SettlementPeriod period, IEnumerable<Statement> statements, IReadOnlyDictionary<StatementId, Money>? paymentsMade = null)
    {
        ArgumentNullException.ThrowIfNull(statements);
        var lines = statements
            .OrderBy(statement => statement.Contract)
            .ThenBy(statement => statement.Id)
            .Select(statement => Line(vendor, statement, paymentsMade?.GetValueOrDefault(statement.Id)))
            .ToArray();
        var totals = lines
            .GroupBy(line => line.Currency)
            .OrderBy(group => group.Key.Code, StringComparer.Ordinal)
            .Select(group => new CommissionStatementTotal(
                group.Key,
                Money.Sum(group.Select(line => line.Commission), group.Key),
                Money.Sum(group.Select(line => line.BaseFee), group.Key),
                Money.Sum(group.Select(line => line.SlaCredits), group.Key),
                Money.Sum(group.Select(line => line.Adjustments), group.Key),
                Money.Sum(group.Select(line => line.PlatformFee), group.Key),
                Money.Sum(group.Select(line => line.VendorShare), group.Key),
                Money.Sum(group.Select(line => line.OnHold), group.Key),
                Money.Sum(group.Select(line => line.NetPayable), group.Key),
                Money.Sum(group.Select(line => line.PaymentsMade), group.Key),
                Money.Sum(group.Select(line => line.Outstanding), group.Key)))
            .ToArray();
        return new CommissionStatement { Vendor = vendor, Period = period, Lines = lines, Totals = totals };
    }

    private static CommissionStatementLine Line(VendorId vendor, Statement statement, Money? paid)
    {
        if (statement.Vendor != vendor)
        {
            throw new ArgumentException($"Statement {statement.Id} is vendor {statement.Vendor}'s, not {vendor}'s.", nameof(vendor));
        }

        var currency = statement.Currency;
        Money SumOf(Func<StatementLine, bool> which) => Money.Sum(statement.Lines.Where(which).Select(line => line.Amount), currency);
        var payments = paid ?? Money.Zero(currency);
        if (payments.Currency != currency)
        {
            throw new ArgumentException($"Payments against {statement.Id} are in {payments.Currency}; the statement is in {currency}.", nameof(vendor));
        }

        var netPayable = statement.VendorShare - statement.HeldTotal;
        return new CommissionStatementLine
        {
            Contract = statement.Contract,
            Statement = statement.Id,
            Period = statement.Period,
            Currency = currency,
            AttributedSales = statement.Commission?.AttributedSales ?? Money.Zero(currency),
            Conversion = statement.Commission?.Conversion,
            TierRate = statement.Commission?.Tier.Rate,
            Commission = SumOf(line => line.Kind == StatementLineKind.Commission),
            BaseFee = SumOf(line => line.Kind is StatementLineKind.BaseFee or StatementLineKind.FixedFee),
            SlaCredits = SumOf(line => line.Kind == StatementLineKind.SlaCredit),
            Adjustments = SumOf(StatementLineKinds.IsCommissionAdjustment),
            PlatformFee = statement.PlatformFee,
            VendorShare = statement.VendorShare,
            OnHold = statement.HeldTotal,
            NetPayable = netPayable,
            PaymentsMade = payments,
            Outstanding = netPayable - payments,
        };
    }
}
