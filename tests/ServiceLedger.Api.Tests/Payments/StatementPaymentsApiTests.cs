namespace ServiceLedger.Api.Tests.Payments;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Money;
using ServiceLedger.Functions.Auth;
using ServiceLedger.Functions.Ledger;
using ServiceLedger.Functions.Statements;
using ServiceLedger.TestSupport.Contracts;
using static ServiceLedger.Api.Tests.Billing.BillingApiFixture;

/// <summary>
/// POST /api/statements/{id}/payments: finance records a merchant's bank transfer against the statement it pays. The
/// factory clock is 2026-11-02 09:00 in Shanghai; the statement is October 2026's, issued 2026-11-02.
/// </summary>
public sealed class StatementPaymentsApiTests(ContractsApiFactory api) : IClassFixture<ContractsApiFactory>
{
    [Fact]
    public async Task Finance_records_a_payment_once_and_the_statement_shows_it_paid_and_outstanding()
    {
        var statement = await StoredStatementAsync();
        using var finance = api.CreateClientAs(CallerRole.Finance);

        using var created = await finance.PostAsJsonAsync(PathOf(statement), Body(statement, "30000.00", requestId: "bank-2026-11-02-001"));
        using var read = await finance.GetAsync($"/api/statements/{statement.Id}");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var answer = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("30000.00", answer.GetProperty("paid").GetProperty("amount").GetString());
        Assert.Equal((statement.Total - new Money(30_000m, Currency.Cny)).FormatAmount(), answer.GetProperty("outstanding").GetProperty("amount").GetString());
        var view = await read.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("30000.00", view.GetProperty("paid").GetProperty("amount").GetString());
        var payment = Assert.Single(view.GetProperty("payments").EnumerateArray());
        Assert.Equal("2026-11-02", payment.GetProperty("receivedOn").GetString());
        Assert.Equal("CMB 88213", payment.GetProperty("reference").GetString());
        Assert.Equal(new Money(30_000m, Currency.Cny), await ReceivableCreditsAsync(statement));
        Assert.Equal(new Money(30_000m, Currency.Cny), await BankDebitsAsync(statement));
    }

    [Fact]
    public async Task A_retry_with_the_same_request_id_answers_the_same_payment_and_posts_nothing_more()
    {
        var statement = await StoredStatementAsync();
        using var finance = api.CreateClientAs(CallerRole.Finance);
        var body = Body(statement, "1000.00", requestId: "retry-1");

        using var first = await finance.PostAsJsonAsync(PathOf(statement), body);
        using var retry = await finance.PostAsJsonAsync(PathOf(statement), body);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        var firstEntry = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("payment").GetProperty("ledgerEntryId").GetString();
        var retryAnswer = await retry.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(firstEntry, retryAnswer.GetProperty("payment").GetProperty("ledgerEntryId").GetString());
        Assert.Equal("1000.00", retryAnswer.GetProperty("paid").GetProperty("amount").GetString());
        Assert.Equal(new Money(1_000m, Currency.Cny), await ReceivableCreditsAsync(statement));
    }

    [Fact]
    public async Task The_same_request_id_with_another_body_is_a_conflict_and_writes_nothing()
    {
        var statement = await StoredStatementAsync();
        using var finance = api.CreateClientAs(CallerRole.Finance);
        using var first = await finance.PostAsJsonAsync(PathOf(statement), Body(statement, "1000.00", requestId: "reused"));

        using var reused = await finance.PostAsJsonAsync(PathOf(statement), Body(statement, "1000.01", requestId: "reused"));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, reused.StatusCode);
        Assert.Contains("requestId", ErrorFields(await ProblemAsync(reused)));
        Assert.Equal(new Money(1_000m, Currency.Cny), await ReceivableCreditsAsync(statement));
    }

    [Theory]
    [InlineData("wrong currency", "amount.currency")]
    [InlineData("zero", "amount.amount")]
    [InlineData("negative", "amount.amount")]
    [InlineData("one cent beyond outstanding", "amount.amount")]
    [InlineData("received tomorrow", "receivedOn")]
    [InlineData("not a date", "receivedOn")]
    [InlineData("no reference", "reference")]
    [InlineData("request id with a slash", "requestId")]
    public async Task A_bad_payment_is_refused_naming_the_field_and_writes_nothing(string what, string field)
    {
        var statement = await StoredStatementAsync();
        using var finance = api.CreateClientAs(CallerRole.Finance);
        var beyond = (statement.Total + new Money(0.01m, Currency.Cny)).FormatAmount();
        object body = what switch
        {
            "wrong currency" => new { amount = new { amount = "100.00", currency = "USD" }, receivedOn = "2026-11-02", reference = "r", requestId = "bad" },
            "zero" => Body(statement, "0.00"),
            "negative" => Body(statement, "-5.00"),
            "one cent beyond outstanding" => Body(statement, beyond),
            "received tomorrow" => Body(statement, "100.00", receivedOn: "2026-11-03"),
            "not a date" => Body(statement, "100.00", receivedOn: "02/11/2026"),
            "no reference" => new { amount = new { amount = "100.00", currency = "CNY" }, receivedOn = "2026-11-02", requestId = "bad" },
            _ => Body(statement, "100.00", requestId: "a/b"),
        };

        using var response = await finance.PostAsJsonAsync(PathOf(statement), body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, ErrorFields(await ProblemAsync(response)));
        Assert.Equal(Money.Zero(Currency.Cny), await ReceivableCreditsAsync(statement));
    }

    [Fact]
    public async Task The_whole_outstanding_amount_is_accepted_and_nothing_after_it()
    {
        var statement = await StoredStatementAsync();
        using var finance = api.CreateClientAs(CallerRole.Finance);

        using var all = await finance.PostAsJsonAsync(PathOf(statement), Body(statement, statement.Total.FormatAmount(), requestId: "all"));
        using var more = await finance.PostAsJsonAsync(PathOf(statement), Body(statement, "0.01", requestId: "more"));

        Assert.Equal(HttpStatusCode.Created, all.StatusCode);
        Assert.Equal("0.00", (await all.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outstanding").GetProperty("amount").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, more.StatusCode);
        Assert.Contains("amount.amount", ErrorFields(await ProblemAsync(more)));
    }

    [Fact]
    public async Task Only_finance_records_payments_and_an_unknown_statement_is_404()
    {
        var statement = await StoredStatementAsync();
        using var merchant = api.MerchantClient(statement.Merchant);
        using var vendor = api.VendorClient(statement.Vendor);
        using var finance = api.CreateClientAs(CallerRole.Finance);
        using var otherMerchant = api.MerchantClient(ContractsApiFactory.NewMerchant());

        using var byMerchant = await merchant.PostAsJsonAsync(PathOf(statement), Body(statement, "10.00"));
        using var byVendor = await vendor.PostAsJsonAsync(PathOf(statement), Body(statement, "10.00"));
        using var unknown = await finance.PostAsJsonAsync($"/api/statements/stm_nosuchcontract_2026-10_v1/payments", Body(statement, "10.00"));
        using var malformed = await finance.PostAsJsonAsync($"/api/statements/not-a-statement/payments", Body(statement, "10.00"));
        using var foreignRead = await otherMerchant.GetAsync($"/api/statements/{statement.Id}");

        Assert.Equal(HttpStatusCode.Forbidden, byMerchant.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byVendor.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, malformed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, foreignRead.StatusCode);
        Assert.Equal(Money.Zero(Currency.Cny), await ReceivableCreditsAsync(statement));
    }

    [Fact]
    public async Task A_named_payment_settles_its_own_statement_in_the_ageing_not_the_one_due_first()
    {
        var first = await StoredStatementAsync();
        var second = await StoredStatementAsync(first.Merchant);
        var (older, named) = string.CompareOrdinal(first.Id, second.Id) < 0 ? (first, second) : (second, first);
        using var finance = api.CreateClientAs(CallerRole.Finance);
        using var paid = await finance.PostAsJsonAsync(PathOf(named), Body(named, named.Total.FormatAmount(), requestId: "ageing"));
        Assert.Equal(HttpStatusCode.Created, paid.StatusCode);

        using var ageing = await finance.GetAsync("/api/receivables/ageing");

        // Both are due on the same day; first in, first out would have settled the one whose id sorts first instead.
        var line = (await ageing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("merchants").EnumerateArray()
            .Single(merchant => merchant.GetProperty("merchantId").GetString() == older.Merchant.Value);
        Assert.Equal(older.Total.FormatAmount(), line.GetProperty("buckets").GetProperty("total").GetProperty("amount").GetString());
    }

    private static string PathOf(StatementRecord statement) => $"/api/statements/{statement.Id}/payments";

    private static object Body(StatementRecord statement, string amount, string receivedOn = "2026-11-02", string requestId = "pay-1") =>
        new { amount = new { amount, currency = statement.Total.Currency.Code }, receivedOn, reference = "CMB 88213", requestId };

    private async Task<Money> ReceivableCreditsAsync(StatementRecord statement) =>
        (await api.Services.GetRequiredService<LedgerService>().ReadBalancesAsync(AccountId.MerchantReceivable(statement.Merchant.Value), CancellationToken.None))
            .FirstOrDefault(balance => balance.Currency == Currency.Cny)?.Credits ?? Money.Zero(Currency.Cny);

    private async Task<Money> BankDebitsAsync(StatementRecord statement)
    {
        var entries = (await api.Services.GetRequiredService<LedgerService>().ReadEntriesAsync(statement.Contract.Book, SequenceRange.All, PageRequest.First, CancellationToken.None)).Items;
        return Money.Sum(entries.SelectMany(entry => entry.Postings).Where(posting => posting.Account == AccountId.PlatformBank && posting.Side == PostingSide.Debit).Select(posting => posting.Amount), Currency.Cny);
    }

    private Task<StatementRecord> StoredStatementAsync(Domain.Parties.MerchantId? merchant = null) => StoredOctoberStatementAsync(api, merchant);
}
