using NodaTime;
using ServiceLedger.Domain.Deposits;
using ServiceLedger.Domain.Ledger;

namespace ServiceLedger.Domain.Tests.Deposits;

using ServiceLedger.Domain.Money;

public sealed class StripeLedgerEntriesTest
{
    private const string ContractId = "ctr_7Hq2LmN4";
    private const string MerchantId = "mer_5Tz8Qa";
    private static readonly Currency Yuan = Currency.FromCode("CNY");
    private static readonly LocalDate Day = new(2027, 3, 4);
    private static readonly AccountId Clearing = AccountId.PlatformStripeClearing;
    private static readonly AccountId Deposit = AccountId.MerchantDeposit(MerchantId);

    [Fact]
    public void A_paid_deposit_moves_money_from_stripe_clearing_to_the_merchants_deposit_with_the_fee_in_the_same_entry()
    {
        var entry = StripeLedgerEntries.DepositPaid("evt_paid1", ContractId, MerchantId, Cny(30000m), Cny(870.30m), Day, "cs_test_a1").Value;

        Assert.Equal(BookId.ForContract(ContractId), entry.Book);
        Assert.Equal("stripe:evt_paid1", entry.IdempotencyKey.Value);
        Assert.Equal(Day, entry.EffectiveDate);
        Assert.Equal(
            Net((Clearing, 30000m - 870.30m), (Deposit, -30000m), (AccountId.PlatformProcessingFees, 870.30m)),
            NetByAccount(entry));
        Assert.Contains(SourceReference.StripeEvent("evt_paid1"), entry.References);
        Assert.Contains(SourceReference.StripeObject("cs_test_a1"), entry.References);
    }

    [Fact]
    public void A_zero_fee_adds_no_posting()
    {
        var entry = StripeLedgerEntries.DepositPaid("evt_paid1", ContractId, MerchantId, Cny(30000m), Cny(0m), Day, "cs_test_a1").Value;

        Assert.Equal(2, entry.Postings.Count);
    }

    [Fact]
    public void A_refund_takes_the_amount_out_of_the_deposit_and_out_of_stripe_clearing()
    {
        var entry = StripeLedgerEntries.DepositRefunded("evt_refund1", ContractId, MerchantId, Cny(5000m), Day, "re_1").Value;

        Assert.Equal(Net((Deposit, 5000m), (Clearing, -5000m)), NetByAccount(entry));
        Assert.Equal("stripe:evt_refund1", entry.IdempotencyKey.Value);
    }

    [Fact]
    public void A_refund_applied_before_its_payment_ends_in_the_same_balances_as_in_order()
    {
        var paid = StripeLedgerEntries.DepositPaid("evt_paid1", ContractId, MerchantId, Cny(30000m), Cny(870.30m), Day, "cs_test_a1").Value;
        var refunded = StripeLedgerEntries.DepositRefunded("evt_refund1", ContractId, MerchantId, Cny(5000m), Day.PlusDays(1), "re_1").Value;

        var inOrder = Sum(paid, refunded);
        var outOfOrder = Sum(refunded, paid);

        Assert.Equal(inOrder, outOfOrder);
        Assert.Equal(-25000m, inOrder[Deposit]);
    }

    [Fact]
    public void A_payout_moves_the_net_amount_from_stripe_clearing_to_the_bank_in_the_platform_stripe_book()
    {
        var entry = StripeLedgerEntries.PayoutPaid("evt_payout1", Cny(29129.70m), Day, "po_1").Value;

        Assert.Equal(BookId.PlatformStripe, entry.Book);
        Assert.Equal(Net((AccountId.PlatformBank, 29129.70m), (Clearing, -29129.70m)), NetByAccount(entry));
    }

    [Fact]
    public void A_deposit_paid_then_paid_out_leaves_stripe_clearing_at_zero()
    {
        var paid = StripeLedgerEntries.DepositPaid("evt_paid1", ContractId, MerchantId, Cny(30000m), Cny(870.30m), Day, "cs_test_a1").Value;
        var payout = StripeLedgerEntries.PayoutPaid("evt_payout1", Cny(29129.70m), Day.PlusDays(2), "po_1").Value;

        Assert.Equal(0m, Sum(paid, payout)[Clearing]);
    }

    [Fact]
    public void Dispute_funds_withdrawn_then_reinstated_with_the_fee_leave_both_clearing_accounts_as_they_were()
    {
        var withdrawn = StripeLedgerEntries.DisputeFundsWithdrawn("evt_dw1", ContractId, Cny(30000m), Cny(100m), Day, "dp_1").Value;
        var reinstated = StripeLedgerEntries.DisputeFundsReinstated("evt_dr1", ContractId, Cny(30000m), Cny(100m), Day.PlusDays(30), "dp_1").Value;

        Assert.Equal(Net((AccountId.PlatformDisputedFunds, 30000m), (AccountId.PlatformDisputeFees, 100m), (Clearing, -30100m)), NetByAccount(withdrawn));
        var total = Sum(withdrawn, reinstated);
        Assert.Equal(0m, total[Clearing]);
        Assert.Equal(0m, total[AccountId.PlatformDisputedFunds]);
    }

    [Fact]
    public void A_negative_amount_is_refused_as_a_value_not_thrown()
    {
        var result = StripeLedgerEntries.DepositRefunded("evt_refund1", ContractId, MerchantId, Cny(-5m), Day, "re_1");

        Assert.False(result.IsValid);
        Assert.Contains(result.Refusals, r => r.Code == LedgerRule.AmountMustBePositive);
    }

    [Fact]
    public void The_same_event_always_proposes_the_same_content()
    {
        var first = StripeLedgerEntries.DepositPaid("evt_paid1", ContractId, MerchantId, Cny(30000m), Cny(870.30m), Day, "cs_test_a1").Value;
        var again = StripeLedgerEntries.DepositPaid("evt_paid1", ContractId, MerchantId, Cny(30000m), Cny(870.30m), Day, "cs_test_a1").Value;

        Assert.Equal(first.RequestHash, again.RequestHash);
    }

    private static Money Cny(decimal amount) => new(amount, Yuan);

    private static Dictionary<AccountId, decimal> Net(params (AccountId Account, decimal Debit)[] lines) =>
        lines.ToDictionary(l => l.Account, l => l.Debit);

    // Debits positive, credits negative, per account.
    private static Dictionary<AccountId, decimal> NetByAccount(ProposedEntry entry) => Sum(entry);

    private static Dictionary<AccountId, decimal> Sum(params ProposedEntry[] entries)
    {
        var net = new Dictionary<AccountId, decimal>();
        foreach (var posting in entries.SelectMany(e => e.Postings))
        {
            var signed = posting.Side == PostingSide.Debit ? posting.Amount.Amount : -posting.Amount.Amount;
            net[posting.Account] = net.GetValueOrDefault(posting.Account) + signed;
        }

        return net;
    }
}
