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
    public void A_paid_deposit_moves_money_from_stripe_clearing_to_the_merchants_deposit_keyed_by_the_session()
    {
        var entry = StripeLedgerEntries.DepositPaid("cs_test_a1", ContractId, MerchantId, Cny(30000m), Day).Value;

        Assert.Equal(BookId.ForContract(ContractId), entry.Book);
        Assert.Equal("stripe:cs_test_a1:paid", entry.IdempotencyKey.Value);
        Assert.Equal(Day, entry.EffectiveDate);
        Assert.Equal(Net((Clearing, 30000m), (Deposit, -30000m)), NetByAccount(entry));
        Assert.Equal([SourceReference.StripeObject("cs_test_a1")], entry.References);
    }

    [Fact]
    public void The_processing_fee_is_a_platform_cost_in_the_platform_stripe_book_keyed_by_its_balance_transaction()
    {
        var entry = StripeLedgerEntries.ProcessingFee("txn_1", Cny(870.30m), Day, "ch_1").Value;

        Assert.Equal(BookId.PlatformStripe, entry.Book);
        Assert.Equal("stripe:txn_1:fee", entry.IdempotencyKey.Value);
        Assert.Equal(Net((AccountId.PlatformProcessingFees, 870.30m), (Clearing, -870.30m)), NetByAccount(entry));
    }

    [Fact]
    public void A_refund_takes_the_amount_out_of_the_deposit_and_out_of_stripe_clearing_keyed_by_the_refund()
    {
        var entry = StripeLedgerEntries.DepositRefunded("re_1", ContractId, MerchantId, Cny(5000m), Day).Value;

        Assert.Equal(Net((Deposit, 5000m), (Clearing, -5000m)), NetByAccount(entry));
        Assert.Equal("stripe:re_1:refunded", entry.IdempotencyKey.Value);
    }

    [Fact]
    public void A_refund_that_fails_after_succeeding_puts_the_amount_back_so_the_pair_nets_to_zero()
    {
        var refunded = StripeLedgerEntries.DepositRefunded("re_1", ContractId, MerchantId, Cny(5000m), Day).Value;
        var failed = StripeLedgerEntries.DepositRefundFailed("re_1", ContractId, MerchantId, Cny(5000m), Day.PlusDays(3)).Value;

        Assert.NotEqual(refunded.IdempotencyKey, failed.IdempotencyKey);
        Assert.All(Sum(refunded, failed).Values, net => Assert.Equal(0m, net));
    }

    [Fact]
    public void A_refund_applied_before_its_payment_ends_in_the_same_balances_as_in_order()
    {
        var paid = StripeLedgerEntries.DepositPaid("cs_test_a1", ContractId, MerchantId, Cny(30000m), Day).Value;
        var refunded = StripeLedgerEntries.DepositRefunded("re_1", ContractId, MerchantId, Cny(5000m), Day.PlusDays(1)).Value;

        var inOrder = Sum(paid, refunded);
        var outOfOrder = Sum(refunded, paid);

        Assert.Equal(inOrder, outOfOrder);
        Assert.Equal(-25000m, inOrder[Deposit]);
    }

    [Fact]
    public void A_payout_moves_the_net_amount_from_stripe_clearing_to_the_bank_in_the_platform_stripe_book()
    {
        var entry = StripeLedgerEntries.PayoutPaid("po_1", Cny(29129.70m), Day).Value;

        Assert.Equal(BookId.PlatformStripe, entry.Book);
        Assert.Equal("stripe:po_1:paid", entry.IdempotencyKey.Value);
        Assert.Equal(Net((AccountId.PlatformBank, 29129.70m), (Clearing, -29129.70m)), NetByAccount(entry));
    }

    [Fact]
    public void A_failed_payout_posted_with_its_paid_entry_nets_to_zero_in_any_order()
    {
        var paid = StripeLedgerEntries.PayoutPaid("po_1", Cny(100m), Day).Value;
        var failed = StripeLedgerEntries.PayoutFailed("po_1", Cny(100m), Day.PlusDays(2)).Value;

        Assert.Equal("stripe:po_1:failed", failed.IdempotencyKey.Value);
        Assert.All(Sum(failed, paid).Values, net => Assert.Equal(0m, net));
    }

    [Fact]
    public void A_deposit_paid_its_fee_charged_and_the_rest_paid_out_leaves_stripe_clearing_at_zero()
    {
        var paid = StripeLedgerEntries.DepositPaid("cs_test_a1", ContractId, MerchantId, Cny(30000m), Day).Value;
        var fee = StripeLedgerEntries.ProcessingFee("txn_1", Cny(870.30m), Day, "ch_1").Value;
        var payout = StripeLedgerEntries.PayoutPaid("po_1", Cny(29129.70m), Day.PlusDays(2)).Value;

        Assert.Equal(0m, Sum(paid, fee, payout)[Clearing]);
    }

    [Fact]
    public void Dispute_funds_withdrawn_then_reinstated_with_the_fee_leave_both_clearing_accounts_as_they_were()
    {
        var withdrawn = StripeLedgerEntries.DisputeFundsWithdrawn("dp_1", ContractId, Cny(30000m), Cny(100m), Day).Value;
        var reinstated = StripeLedgerEntries.DisputeFundsReinstated("dp_1", ContractId, Cny(30000m), Cny(100m), Day.PlusDays(30)).Value;

        Assert.Equal(Net((AccountId.PlatformDisputedFunds, 30000m), (AccountId.PlatformDisputeFees, 100m), (Clearing, -30100m)), NetByAccount(withdrawn));
        Assert.Equal(("stripe:dp_1:funds-withdrawn", "stripe:dp_1:funds-reinstated"), (withdrawn.IdempotencyKey.Value, reinstated.IdempotencyKey.Value));
        var total = Sum(withdrawn, reinstated);
        Assert.Equal(0m, total[Clearing]);
        Assert.Equal(0m, total[AccountId.PlatformDisputedFunds]);
    }

    [Fact]
    public void A_zero_dispute_fee_adds_no_posting()
    {
        Assert.Equal(2, StripeLedgerEntries.DisputeFundsWithdrawn("dp_1", ContractId, Cny(300m), Cny(0m), Day).Value.Postings.Count);
    }

    [Fact]
    public void A_negative_amount_is_refused_as_a_value_not_thrown()
    {
        var result = StripeLedgerEntries.DepositRefunded("re_1", ContractId, MerchantId, Cny(-5m), Day);

        Assert.False(result.IsValid);
        Assert.Contains(result.Refusals, r => r.Code == LedgerRule.AmountMustBePositive);
    }

    [Fact]
    public void Two_events_about_the_same_movement_propose_the_same_key_and_the_same_content()
    {
        // checkout.session.completed and …async_payment_succeeded both describe the session: the facts are the session's.
        var fromCompleted = StripeLedgerEntries.DepositPaid("cs_test_a1", ContractId, MerchantId, Cny(30000m), Day).Value;
        var fromAsyncSucceeded = StripeLedgerEntries.DepositPaid("cs_test_a1", ContractId, MerchantId, Cny(30000m), Day).Value;

        Assert.Equal(fromCompleted.IdempotencyKey, fromAsyncSucceeded.IdempotencyKey);
        Assert.Equal(fromCompleted.RequestHash, fromAsyncSucceeded.RequestHash);
    }

    [Fact]
    public void An_object_id_that_cannot_be_part_of_a_key_is_a_bug_and_throws()
    {
        Assert.Throws<ArgumentException>(() => StripeLedgerEntries.KeyFor("cs test/1", StripeLedgerEntries.Paid));
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
