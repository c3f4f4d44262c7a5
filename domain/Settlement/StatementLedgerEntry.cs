using ServiceLedger.Domain.Ledger;

namespace ServiceLedger.Domain.Settlement;

using ServiceLedger.Domain.Money;

/// <summary>
/// The journal entry a statement posts to its contract's book (docs/ledger.md, "flows"), keyed
/// <c>statement:{contract}:{period}:v{n}</c> so posting it twice writes once: Dr <c>merchant:{id}:receivable</c> (the total)
/// and Dr <c>merchant:{id}:deposit</c> (the deposit applied) / Cr <c>vendor:{id}:payable</c> (vendor share),
/// <c>platform:revenue</c> (platform fee) and <c>platform:penalty-revenue</c> (late penalties). A negative amount (a credit
/// note) posts on the other side; a zero amount posts nothing. Dated on the issue day.
/// </summary>
public static class StatementLedgerEntry
{
    /// <summary>
    /// The accounts a contract's statements post in its currency, for opening them before the first statement: the merchant's
    /// receivable, the vendor's payable, platform revenue and penalty revenue (the merchant's deposit is opened by the deposit
    /// the contract's activation needs).
    /// </summary>
    public static IReadOnlyList<KeyValuePair<AccountId, Currency>> AccountsPosted(Parties.MerchantId merchant, Parties.VendorId vendor, Currency currency) =>
    [
        new(AccountId.MerchantReceivable(merchant.Value), currency),
        new(AccountId.VendorPayable(vendor.Value), currency),
        new(AccountId.PlatformRevenue, currency),
        new(AccountId.PlatformPenaltyRevenue, currency),
    ];

    /// <summary>The entry for <paramref name="statement"/>; refused with <see cref="SettlementRule.NothingToPost"/> when every amount is zero.</summary>
    public static Validated<ProposedEntry> For(Statement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        return For(StatementPosting.Of(statement));
    }

    /// <summary>
    /// The entry for <paramref name="statement"/> as <see cref="StatementPosting"/> gives it (an engine statement, or an issued
    /// one as stored: the same statement gives the same entry either way); refused with <see cref="SettlementRule.NothingToPost"/>
    /// when every amount is zero.
    /// </summary>
    public static Validated<ProposedEntry> For(StatementPosting statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var postings = new List<Posting>();
        AddDebit(postings, AccountId.MerchantReceivable(statement.Merchant.Value), statement.Total);
        AddDebit(postings, AccountId.MerchantDeposit(statement.Merchant.Value), statement.DepositApplied);
        AddDebit(postings, AccountId.VendorPayable(statement.Vendor.Value), -statement.VendorShare);
        AddDebit(postings, AccountId.PlatformRevenue, -statement.PlatformFee);
        AddDebit(postings, AccountId.PlatformPenaltyRevenue, -statement.LatePenalties);
        if (postings.Count == 0)
        {
            return Validated.Refused<ProposedEntry>(new Refusal(
                SettlementRule.NothingToPost,
                "statement",
                $"Statement {statement.Id} has no amount other than zero; there is nothing to post."));
        }

        var references = statement.Lines
            .SelectMany(line => new[] { line.IssuedStatement, line.RecomputedStatement })
            .OfType<StatementId>()
            .Append(statement.Id)
            .Distinct()
            .Select(id => SourceReference.Statement(id.Value))
            .ToArray();
        return ProposedEntry.Create(
            statement.Contract.Book,
            IdempotencyKey.ForStatement(statement.Contract.Value, statement.Period.ToString(), statement.Version),
            statement.IssuedOn,
            $"Statement {statement.Id} for {statement.Period}",
            postings,
            references);
    }

    // Signed: a positive amount is a debit, a negative one a credit of its magnitude.
    private static void AddDebit(List<Posting> postings, AccountId account, Money signed)
    {
        if (signed.IsZero)
        {
            return;
        }

        postings.Add(signed.IsNegative ? Posting.Credit(account, -signed) : Posting.Debit(account, signed));
    }
}
