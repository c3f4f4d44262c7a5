using NodaTime;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Parties;
using ServiceLedger.Domain.Settlement;

namespace ServiceLedger.Domain.Tests.Settlement;

using ServiceLedger.Domain.Money;

/// <summary>A statement of 10,000.00 CNY of which 4,000.00 is paid; today is 2026-11-02 in the contract's zone.</summary>
public sealed class StatementPaymentTest
{
    private static readonly ContractId Contract = ContractId.Derive("payment-test");
    private static readonly StatementId Statement = StatementId.For(Contract, SettlementPeriod.Month(2026, 10), 1);
    private static readonly LocalDate Today = new(2026, 11, 2);

    [Fact]
    public void Exactly_the_outstanding_amount_is_accepted_and_one_minor_unit_more_is_refused()
    {
        Assert.True(Create("6000.00").IsValid);

        var refused = Create("6000.01");

        var refusal = Assert.Single(refused.Refusals);
        Assert.Equal((PaymentRule.ExceedsOutstanding, "amount.amount"), (refusal.Code, refusal.Field));
    }

    [Fact]
    public void Money_received_today_is_accepted_and_tomorrow_is_refused()
    {
        Assert.True(Create("1.00", receivedOn: "2026-11-02").IsValid);

        var refusal = Assert.Single(Create("1.00", receivedOn: "2026-11-03").Refusals);

        Assert.Equal((PaymentRule.ReceivedOnInvalid, "receivedOn"), (refusal.Code, refusal.Field));
    }

    [Fact]
    public void Every_refusal_comes_at_once_each_naming_its_field()
    {
        var refused = StatementPayment.Create(Statement, Cny(10_000m), Cny(4_000m), "0.00", "CNY", "yesterday", "", "a b", Today);

        Assert.Equal(
            [(PaymentRule.AmountMustBePositive, "amount.amount"), (PaymentRule.ReceivedOnInvalid, "receivedOn"), (PaymentRule.ReferenceInvalid, "reference"), (PaymentRule.RequestIdInvalid, "requestId")],
            refused.Refusals.Select(refusal => (refusal.Code, refusal.Field)));
    }

    [Fact]
    public void A_payment_in_another_currency_is_refused_on_the_currency()
    {
        var refusal = Assert.Single(StatementPayment.Create(Statement, Cny(10_000m), Cny(4_000m), "100.00", "USD", "2026-11-02", "ref", "req-1", Today).Refusals);

        Assert.Equal((PaymentRule.CurrencyMismatch, "amount.currency"), (refusal.Code, refusal.Field));
    }

    [Fact]
    public void The_entry_debits_the_bank_and_credits_the_merchant_receivable_under_the_payment_key()
    {
        var merchant = MerchantId.Derive("payment-test-merchant");
        var payment = Create("2500.00").Value;

        var entry = payment.LedgerEntry(Contract.Book, merchant, new LocalDate(2026, 11, 1)).Value;

        Assert.Equal($"payment:{Statement}:req-1", entry.IdempotencyKey.Value);
        Assert.Equal(2, entry.Postings.Count);
        Assert.Contains(Posting.Debit(AccountId.PlatformBank, Cny(2_500m)), entry.Postings);
        Assert.Contains(Posting.Credit(AccountId.MerchantReceivable(merchant.Value), Cny(2_500m)), entry.Postings);
        Assert.Equal(new LocalDate(2026, 11, 1), entry.EffectiveDate);
    }

    [Fact]
    public void The_request_hash_is_equal_for_the_same_body_and_differs_when_any_field_differs()
    {
        var hash = Create("2500.00").Value.RequestHash;

        Assert.Equal(hash, Create("2500.00").Value.RequestHash);
        Assert.NotEqual(hash, Create("2500.01").Value.RequestHash);
        Assert.NotEqual(hash, Create("2500.00", receivedOn: "2026-11-01").Value.RequestHash);
        Assert.NotEqual(hash, Create("2500.00", reference: "other").Value.RequestHash);
    }

    private static Validated<StatementPayment> Create(string amount, string receivedOn = "2026-11-02", string reference = "CMB 88213") =>
        StatementPayment.Create(Statement, Cny(10_000m), Cny(4_000m), amount, "CNY", receivedOn, reference, "req-1", Today);

    private static Money Cny(decimal amount) => new(amount, Currency.Cny);
}
