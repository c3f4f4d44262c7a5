using NodaTime;
using ServiceLedger.Domain.Deposits;
using ServiceLedger.Domain.Ledger;

namespace ServiceLedger.Domain.Tests.Deposits;

using ServiceLedger.Domain.Money;

public sealed class DepositRegisterTest
{
    private const string ContractId = "ctr_7Hq2LmN4";
    private const string MerchantId = "mer_5Tz8Qa";
    private static readonly Currency Yuan = Currency.FromCode("CNY");
    private static readonly LocalDate Day = new(2027, 3, 4);
    private static readonly Instant RecordedAt = Instant.FromUtc(2027, 3, 4, 8, 0);

    [Fact]
    public void Paid_applied_and_refunded_lines_each_name_their_entry_and_stripe_object_and_the_balance_is_what_is_left()
    {
        var entries = Seal(
            StripeLedgerEntries.DepositPaid("cs_test_a1", ContractId, MerchantId, Cny(30000m), Day).Value,
            Application("stm_1", Cny(10000m)),
            StripeLedgerEntries.DepositRefunded("re_1", ContractId, MerchantId, Cny(5000m), Day.PlusDays(2)).Value);

        var register = DepositRegister.Compute(MerchantId, Yuan, entries);

        Assert.Equal([DepositLineKind.Paid, DepositLineKind.Applied, DepositLineKind.Refunded], register.Lines.Select(l => l.Kind));
        Assert.Equal([1L, 2L, 3L], register.Lines.Select(l => l.Entry.Sequence));
        Assert.Equal(["cs_test_a1", null, "re_1"], register.Lines.Select(l => l.StripeObjectId));
        Assert.Equal("stripe:re_1:refunded", register.Lines[2].Key.Value);
        Assert.Equal((Cny(30000m), Cny(10000m), Cny(5000m), Cny(15000m)), (register.Paid, register.Applied, register.Refunded, register.Balance));
    }

    [Fact]
    public void A_refund_booked_before_its_payment_gives_the_same_totals()
    {
        var paid = StripeLedgerEntries.DepositPaid("cs_test_a1", ContractId, MerchantId, Cny(30000m), Day).Value;
        var refunded = StripeLedgerEntries.DepositRefunded("re_1", ContractId, MerchantId, Cny(5000m), Day).Value;

        var inOrder = DepositRegister.Compute(MerchantId, Yuan, Seal(paid, refunded));
        var outOfOrder = DepositRegister.Compute(MerchantId, Yuan, Seal(refunded, paid));

        Assert.Equal((inOrder.Paid, inOrder.Refunded, inOrder.Balance), (outOfOrder.Paid, outOfOrder.Refunded, outOfOrder.Balance));
    }

    [Fact]
    public void A_refund_that_failed_later_counts_as_not_refunded()
    {
        var register = DepositRegister.Compute(MerchantId, Yuan, Seal(
            StripeLedgerEntries.DepositPaid("cs_test_a1", ContractId, MerchantId, Cny(300m), Day).Value,
            StripeLedgerEntries.DepositRefunded("re_1", ContractId, MerchantId, Cny(100m), Day).Value,
            StripeLedgerEntries.DepositRefundFailed("re_1", ContractId, MerchantId, Cny(100m), Day).Value));

        Assert.Equal((Cny(0m), Cny(300m)), (register.Refunded, register.Balance));
        Assert.Equal(DepositLineKind.RefundFailed, register.Lines[^1].Kind);
    }

    [Fact]
    public void Postings_to_other_accounts_are_not_lines()
    {
        var register = DepositRegister.Compute(MerchantId, Yuan, Seal(StripeLedgerEntries.DisputeFundsWithdrawn("dp_1", ContractId, Cny(300m), Cny(15m), Day).Value));

        Assert.Empty(register.Lines);
        Assert.Equal(Cny(0m), register.Balance);
    }

    [Fact]
    public void A_refund_may_take_all_of_the_unused_deposit_and_not_a_minor_unit_more()
    {
        var register = DepositRegister.Compute(MerchantId, Yuan, Seal(StripeLedgerEntries.DepositPaid("cs_test_a1", ContractId, MerchantId, Cny(300m), Day).Value));

        Assert.Equal(Cny(200m), register.CheckRefund(Cny(200m), Cny(100m), "amount").Value);
        Assert.Equal(Cny(200m), register.CheckRefund(null, Cny(100m), "amount").Value);
        var refused = register.CheckRefund(Cny(200.01m), Cny(100m), "amount");
        Assert.Equal((DepositFlowRule.RefundExceedsUnusedDeposit, "amount"), (refused.Refusals[0].Code, refused.Refusals[0].Field));
    }

    [Fact]
    public void Refunding_everything_when_nothing_is_unused_is_refused_as_exceeding_not_as_a_bad_amount()
    {
        var register = DepositRegister.Compute(MerchantId, Yuan, Seal(StripeLedgerEntries.DepositPaid("cs_test_a1", ContractId, MerchantId, Cny(300m), Day).Value));

        var refused = register.CheckRefund(null, Cny(300m), "amount");

        Assert.Equal(DepositFlowRule.RefundExceedsUnusedDeposit, Assert.Single(refused.Refusals).Code);
    }

    [Theory]
    [InlineData("0", "CNY")]
    [InlineData("-1", "CNY")]
    [InlineData("1.001", "CNY")]
    [InlineData("1", "USD")]
    public void A_refund_amount_that_is_not_positive_whole_minor_units_of_the_deposit_currency_is_refused(string amount, string currency)
    {
        var register = DepositRegister.Compute(MerchantId, Yuan, Seal(StripeLedgerEntries.DepositPaid("cs_test_a1", ContractId, MerchantId, Cny(300m), Day).Value));

        var refused = register.CheckRefund(new Money(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), Currency.FromCode(currency)), Cny(0m), "amount");

        Assert.Equal(DepositFlowRule.RefundAmountInvalid, Assert.Single(refused.Refusals).Code);
    }

    [Fact]
    public void Nothing_can_be_refunded_before_the_deposit_is_paid()
    {
        var refused = DepositRegister.Compute(MerchantId, Yuan, []).CheckRefund(null, Cny(0m), "amount");

        Assert.Equal(DepositFlowRule.DepositNotPaid, Assert.Single(refused.Refusals).Code);
    }

    private static Money Cny(decimal amount) => new(amount, Yuan);

    private static ProposedEntry Application(string statementId, Money amount) =>
        ProposedEntry.Create(
            BookId.ForContract(ContractId),
            IdempotencyKey.TryParse($"deposit-application:{statementId}", out var key) ? key : default,
            Day.PlusDays(1),
            "Deposit applied to the final statement",
            [Posting.Debit(AccountId.MerchantDeposit(MerchantId), amount), Posting.Credit(AccountId.MerchantReceivable(MerchantId), amount)]).Value;

    private static List<JournalEntry> Seal(params ProposedEntry[] proposed)
    {
        var head = BookHead.Empty(BookId.ForContract(ContractId));
        var sealedEntries = new List<JournalEntry>();
        foreach (var entry in proposed)
        {
            var journalEntry = JournalEntry.Seal(entry, head, RecordedAt);
            head = head.After(journalEntry);
            sealedEntries.Add(journalEntry);
        }

        return sealedEntries;
    }
}
