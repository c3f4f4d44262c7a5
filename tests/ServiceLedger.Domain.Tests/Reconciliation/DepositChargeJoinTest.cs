using NodaTime;
using ServiceLedger.Domain.Deposits;
using ServiceLedger.Domain.Reconciliation;

namespace ServiceLedger.Domain.Tests.Reconciliation;

using ServiceLedger.Domain.Money;

public sealed class DepositChargeJoinTest
{
    private static readonly Currency Yuan = Currency.FromCode("CNY");
    private static readonly ReconciliationPeriod March = ReconciliationPeriod.Month(new YearMonth(2027, 3));
    private static readonly LocalDate PaidOn = new(2027, 3, 10);

    [Fact]
    public void A_deposit_that_names_its_charge_joins_stripes_charge_by_id_with_its_fee_entry()
    {
        var outcome = Match(chargeId: "py_3Pdep");

        Assert.Equal((1, 0), (outcome.MatchedById, outcome.MatchedByRule));
        Assert.Empty(outcome.Lines);
    }

    [Fact]
    public void A_deposit_that_names_only_its_session_is_still_paired_but_by_rule()
    {
        var outcome = Match(chargeId: null);

        Assert.Equal(1, outcome.MatchedByRule);
        Assert.Empty(outcome.Exceptions);
    }

    [Fact]
    public void The_charge_does_not_change_the_deposits_key_or_the_object_the_register_shows()
    {
        var withCharge = StripeLedgerEntries.DepositPaid("cs_test_dep", "ctr_depositjoin0001", "mer_depositjoin0001", new Money(300m, Yuan), PaidOn, "py_3Pdep").Value;
        var without = StripeLedgerEntries.DepositPaid("cs_test_dep", "ctr_depositjoin0001", "mer_depositjoin0001", new Money(300m, Yuan), PaidOn).Value;

        Assert.Equal(without.IdempotencyKey, withCharge.IdempotencyKey);
        Assert.Equal("cs_test_dep", Assert.Single(withCharge.References, reference => reference.Kind == LedgerItems.StripeObjectKind).Value);
    }

    private static MatchOutcome Match(string? chargeId)
    {
        var charge = chargeId ?? "py_3Pdep";
        var entries = Ledger.LedgerTestData.Chain(
            StripeLedgerEntries.DepositPaid("cs_test_dep", "ctr_depositjoin0001", "mer_depositjoin0001", new Money(300m, Yuan), PaidOn, chargeId).Value,
            StripeLedgerEntries.ProcessingFee("txn_dep", new Money(8.70m, Yuan), PaidOn, charge).Value);
        var created = Instant.FromUtc(2027, 3, 10, 8, 0);
        StripeItem[] stripe = [new("txn_dep", charge, "charge", 30_000, 870, 29_130, Yuan, created, created.Plus(Duration.FromDays(2)), null)];
        return StripeLedgerMatch.Run(stripe, [.. LedgerItems.From(entries)], March, MatchPolicy.Default);
    }
}
