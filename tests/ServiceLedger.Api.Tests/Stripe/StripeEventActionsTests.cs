using System.Text.Json.Nodes;
using NodaTime;
using ServiceLedger.Functions.Adapters.Stripe;
using ServiceLedger.Functions.Stripe;

namespace ServiceLedger.Api.Tests.Stripe;

/// <summary>The dispatch of stored events to actions, from the event text alone.</summary>
public sealed class StripeEventActionsTests
{
    private static readonly string Contract = Domain.Contracts.ContractId.Derive("event-actions").Value;
    private static readonly string Merchant = Domain.Parties.MerchantId.Derive("event-actions").Value;
    private static readonly Instant Created = Instant.FromUtc(2027, 3, 4, 23, 30);
    private static readonly LocalDate CreatedOn = new(2027, 3, 4);

    [Fact]
    public void A_completed_paid_session_pays_the_deposit_of_the_contract_and_merchant_in_its_metadata()
    {
        var action = Read("checkout.session.completed", Session("paid"));

        Assert.Equal(
            new StripeEventAction.PayDeposit("cs_test_1", Id(Contract), MerchantId(Merchant), new StripeAmount(3_000_000, "cny"), "pi_1", CreatedOn),
            action);
    }

    [Fact]
    public void A_completed_unpaid_session_waits_for_its_delayed_payment_and_the_async_success_pays()
    {
        Assert.IsType<StripeEventAction.AwaitAsyncPayment>(Read("checkout.session.completed", Session("unpaid")));
        Assert.IsType<StripeEventAction.PayDeposit>(Read("checkout.session.async_payment_succeeded", Session("paid")));
    }

    [Theory]
    [InlineData("checkout.session.expired", "expired")]
    [InlineData("checkout.session.async_payment_failed", "failed")]
    public void An_expired_or_failed_session_closes_the_attempt(string type, string status)
    {
        Assert.Equal(new StripeEventAction.CloseCheckout("cs_test_1", Id(Contract), status), Read(type, Session("unpaid")));
    }

    [Fact]
    public void A_session_that_names_no_contract_of_ours_is_ignored()
    {
        var session = Session("paid");
        session["metadata"] = new JsonObject();
        session["client_reference_id"] = "order-42";

        Assert.IsType<StripeEventAction.Ignore>(Read("checkout.session.completed", session));
    }

    [Theory]
    [InlineData("refund.created")]
    [InlineData("refund.updated")]
    [InlineData("charge.refund.updated")]
    public void Every_refund_event_reports_the_refund_with_its_own_creation_date_so_all_propose_one_entry(string type)
    {
        var action = Assert.IsType<StripeEventAction.ChangeRefund>(Read(type, Refund("succeeded")));

        Assert.Equal(("re_1", "succeeded", Id(Contract), "req-7"), (action.RefundId, action.Status, action.Contract, action.RequestId));
        Assert.Equal(new LocalDate(2027, 3, 1), action.CreatedOn);
        Assert.Equal(new StripeAmount(50_000, "cny"), action.Amount);
    }

    [Fact]
    public void Charge_refunded_without_expanded_refunds_is_left_to_the_refund_events()
    {
        Assert.IsType<StripeEventAction.Ignore>(Read("charge.refunded", new JsonObject { ["id"] = "ch_1", ["object"] = "charge", ["amount_refunded"] = 50_000 }));
    }

    [Fact]
    public void Charge_refunded_with_expanded_refunds_reports_each()
    {
        var charge = new JsonObject { ["id"] = "ch_1", ["object"] = "charge", ["refunds"] = new JsonObject { ["data"] = new JsonArray(Refund("succeeded"), Refund("pending", "re_2")) } };

        var several = Assert.IsType<StripeEventAction.Several>(Read("charge.refunded", charge));

        Assert.Equal(["re_1", "re_2"], several.Actions.Cast<StripeEventAction.ChangeRefund>().Select(r => r.RefundId));
    }

    [Fact]
    public void A_charge_with_its_balance_transaction_expanded_books_the_processing_fee()
    {
        var charge = new JsonObject
        {
            ["id"] = "ch_1",
            ["object"] = "charge",
            ["balance_transaction"] = new JsonObject { ["id"] = "txn_1", ["amount"] = 3_000_000, ["fee"] = 87_030, ["net"] = 2_912_970, ["currency"] = "cny", ["created"] = Created.ToUnixTimeSeconds() },
        };

        Assert.Equal(new StripeEventAction.ChargeFee("txn_1", new StripeAmount(87_030, "cny"), "ch_1", CreatedOn), Read("charge.succeeded", charge));
        charge["balance_transaction"] = "txn_1";
        Assert.IsType<StripeEventAction.Ignore>(Read("charge.succeeded", charge));
    }

    [Fact]
    public void A_failed_payout_is_dated_by_the_event_and_its_paid_entry_by_the_arrival_date()
    {
        var payout = new JsonObject { ["id"] = "po_1", ["object"] = "payout", ["amount"] = 2_912_970, ["currency"] = "cny", ["arrival_date"] = Instant.FromUtc(2027, 3, 2, 0, 0).ToUnixTimeSeconds() };

        Assert.Equal(new StripeEventAction.PayOut("po_1", new StripeAmount(2_912_970, "cny"), new LocalDate(2027, 3, 2), true, CreatedOn), Read("payout.failed", payout));
    }

    [Fact]
    public void Funds_withdrawn_carries_the_fee_and_date_of_the_dispute_balance_transaction_and_other_dispute_events_move_nothing()
    {
        var dispute = new JsonObject
        {
            ["id"] = "dp_1",
            ["object"] = "dispute",
            ["amount"] = 3_000_000,
            ["currency"] = "cny",
            ["status"] = "needs_response",
            ["payment_intent"] = "pi_1",
            ["balance_transactions"] = new JsonArray(new JsonObject
            {
                ["id"] = "txn_d1", ["amount"] = -3_000_000, ["fee"] = 10_000, ["net"] = -3_010_000, ["currency"] = "cny",
                ["reporting_category"] = "dispute", ["created"] = Instant.FromUtc(2027, 3, 3, 8, 0).ToUnixTimeSeconds(),
            }),
        };

        var withdrawn = Assert.IsType<StripeEventAction.ReportDispute>(Read("charge.dispute.funds_withdrawn", dispute));
        var updated = Assert.IsType<StripeEventAction.ReportDispute>(Read("charge.dispute.updated", dispute));

        Assert.Equal(("funds-withdrawn", 10_000L, new LocalDate(2027, 3, 3)), (withdrawn.Movement, withdrawn.Fee, withdrawn.EffectiveDate));
        Assert.Null(updated.Movement);
        Assert.Equal("needs_response", updated.Dispute.Status);
    }

    [Fact]
    public void An_event_of_a_type_we_do_not_book_is_ignored_not_failed()
    {
        Assert.IsType<StripeEventAction.Ignore>(Read("customer.created", new JsonObject { ["id"] = "cus_1", ["object"] = "customer" }));
    }

    private static StripeEventAction Read(string type, JsonObject dataObject)
    {
        var body = new JsonObject
        {
            ["id"] = "evt_1",
            ["object"] = "event",
            ["type"] = type,
            ["created"] = Created.ToUnixTimeSeconds(),
            ["data"] = new JsonObject { ["object"] = dataObject.DeepClone() },
        };
        var reading = StripeEventActions.Read(body.ToJsonString());
        Assert.Equal(("evt_1", type, Created), (reading.EventId, reading.Type, reading.Created));
        return reading.Action;
    }

    private static JsonObject Session(string paymentStatus) => new()
    {
        ["id"] = "cs_test_1",
        ["object"] = "checkout.session",
        ["payment_status"] = paymentStatus,
        ["status"] = "complete",
        ["amount_total"] = 3_000_000,
        ["currency"] = "cny",
        ["client_reference_id"] = Contract,
        ["payment_intent"] = "pi_1",
        ["metadata"] = new JsonObject { ["contract_id"] = Contract, ["merchant_id"] = Merchant },
    };

    private static JsonObject Refund(string status, string id = "re_1") => new()
    {
        ["id"] = id,
        ["object"] = "refund",
        ["amount"] = 50_000,
        ["currency"] = "cny",
        ["status"] = status,
        ["payment_intent"] = "pi_1",
        ["created"] = Instant.FromUtc(2027, 3, 1, 12, 0).ToUnixTimeSeconds(),
        ["metadata"] = new JsonObject { ["contract_id"] = Contract, ["merchant_id"] = Merchant, ["request_id"] = "req-7" },
    };

    private static Domain.Contracts.ContractId Id(string text) => Domain.Contracts.ContractId.TryParse(text, out var id) ? id : throw new ArgumentException(text);

    private static Domain.Parties.MerchantId MerchantId(string text) => Domain.Parties.MerchantId.TryParse(text, out var id) ? id : throw new ArgumentException(text);
}
