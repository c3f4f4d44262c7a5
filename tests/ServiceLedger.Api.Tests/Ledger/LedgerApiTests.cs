using System.Net;
using System.Text.Json;
using NodaTime;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Money;
using ServiceLedger.Functions.Auth;
using ServiceLedger.Functions.Ledger;
using ServiceLedger.TestSupport.Api;

namespace ServiceLedger.Api.Tests.Ledger;

/// <summary>The ledger endpoints: finance reads and acts, merchants and vendors read only their own accounts.</summary>
public sealed class LedgerApiTests(ApiFactory app) : IClassFixture<ApiFactory>
{
    private static readonly Currency Yuan = Currency.FromCode("CNY");

    [Fact]
    public async Task Finance_reads_a_books_entries_in_pages_with_amounts_as_decimal_strings()
    {
        var (book, merchant) = NewContract();
        for (var i = 1; i <= 3; i++)
        {
            await AppendAsync(Payment(book, merchant, $"stripe:evt_{book.ContractId}_{i}", 12.34m * i));
        }

        using var client = app.CreateClientAs(CallerRole.Finance);
        var first = await GetJsonAsync(client, $"/api/ledger/books/{book.Value}/entries?pageSize=2");
        var token = first.GetProperty("continuationToken").GetString();
        var second = await GetJsonAsync(client, $"/api/ledger/books/{book.Value}/entries?pageSize=2&continuationToken={Uri.EscapeDataString(token!)}");

        Assert.Equal(2, first.GetProperty("items").GetArrayLength());
        var entry = first.GetProperty("items")[0];
        Assert.Equal(1, entry.GetProperty("sequence").GetInt64());
        var amount = entry.GetProperty("postings")[0].GetProperty("amount");
        Assert.Equal("12.34", amount.GetProperty("amount").GetString());
        Assert.Equal("CNY", amount.GetProperty("currency").GetString());
        Assert.Equal(3, second.GetProperty("items")[0].GetProperty("sequence").GetInt64());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("continuationToken").ValueKind);
    }

    [Fact]
    public async Task A_bad_book_id_or_page_size_is_a_problem_naming_the_field()
    {
        using var client = app.CreateClientAs(CallerRole.Finance);

        using var response = await client.GetAsync(new Uri("/api/ledger/books/nonsense/entries?pageSize=0", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty("bookId", out _));
        Assert.True(errors.TryGetProperty("pageSize", out _));
    }

    [Fact]
    public async Task A_merchant_reads_its_own_accounts_balance_and_postings_and_gets_404_for_anyone_elses()
    {
        var (book, merchant) = NewContract();
        var (_, stranger) = NewContract();
        await AppendAsync(Payment(book, merchant, $"stripe:evt_{book.ContractId}", 50m));
        var own = AccountId.MerchantReceivable(merchant).Value;

        using var client = app.CreateClientAs(CallerRole.Merchant, merchant);
        var balance = await GetJsonAsync(client, $"/api/ledger/accounts/{own}/balance");
        var postings = await GetJsonAsync(client, $"/api/ledger/accounts/{own}/postings");

        var line = Assert.Single(balance.GetProperty("balances").EnumerateArray());
        Assert.Equal("-50.00", line.GetProperty("balance").GetProperty("amount").GetString());
        var posting = Assert.Single(postings.GetProperty("items").EnumerateArray());
        Assert.Equal("credit", posting.GetProperty("side").GetString());
        Assert.Equal(book.Value, posting.GetProperty("book").GetString());
        foreach (var foreign in new[] { AccountId.MerchantReceivable(stranger).Value, AccountId.PlatformRevenue.Value })
        {
            using var response = await client.GetAsync(new Uri($"/api/ledger/accounts/{foreign}/balance", UriKind.Relative));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        using var vendor = app.CreateClientAs(CallerRole.Vendor, merchant.Replace("mer_", "ven_", StringComparison.Ordinal));
        using var asVendor = await vendor.GetAsync(new Uri($"/api/ledger/accounts/{own}/postings", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, asVendor.StatusCode);
    }

    [Fact]
    public async Task Finance_reads_a_balance_as_of_a_date_from_the_journal()
    {
        var (book, merchant) = NewContract();
        await AppendAsync(Payment(book, merchant, $"stripe:evt_{book.ContractId}_a", 10m, new LocalDate(2026, 10, 5)));
        await AppendAsync(Payment(book, merchant, $"stripe:evt_{book.ContractId}_b", 20m, new LocalDate(2026, 10, 20)));
        using var client = app.CreateClientAs(CallerRole.Finance);

        var asOf = await GetJsonAsync(client, $"/api/ledger/accounts/{AccountId.MerchantReceivable(merchant).Value}/balance?asOf=2026-10-10");
        var current = await GetJsonAsync(client, $"/api/ledger/accounts/{AccountId.MerchantReceivable(merchant).Value}/balance");

        Assert.Equal("10.00", asOf.GetProperty("balances")[0].GetProperty("credits").GetProperty("amount").GetString());
        Assert.Equal("30.00", current.GetProperty("balances")[0].GetProperty("credits").GetProperty("amount").GetString());
    }

    [Fact]
    public async Task Finance_gets_a_balanced_trial_balance_and_an_intact_verification()
    {
        var (book, merchant) = NewContract();
        await AppendAsync(Payment(book, merchant, $"stripe:evt_{book.ContractId}", 75m, new LocalDate(2026, 10, 15)));
        using var client = app.CreateClientAs(CallerRole.Finance);

        var trial = await GetJsonAsync(client, "/api/ledger/trial-balance?period=2026-10");
        using var verify = await client.PostAsync(new Uri("/api/ledger/verify", UriKind.Relative), null);
        using var badPeriod = await client.GetAsync(new Uri("/api/ledger/trial-balance?period=2026-13", UriKind.Relative));

        Assert.True(trial.GetProperty("isBalanced").GetBoolean());
        Assert.Contains(trial.GetProperty("lines").EnumerateArray(), line => line.GetProperty("account").GetString() == AccountId.MerchantReceivable(merchant).Value);
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        var verification = JsonDocument.Parse(await verify.Content.ReadAsStringAsync()).RootElement;
        Assert.True(verification.GetProperty("isIntact").GetBoolean());
        Assert.Contains(verification.GetProperty("books").EnumerateArray(), result => result.GetProperty("book").GetString() == book.Value);
        Assert.Equal(HttpStatusCode.BadRequest, badPeriod.StatusCode);
    }

    [Fact]
    public async Task Finance_closes_a_period_once_and_only_finance_may()
    {
        using var merchant = app.CreateClientAs(CallerRole.Merchant, "mer_closer");
        using var forbidden = await merchant.PostAsync(new Uri("/api/ledger/periods/2001-01/close", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);

        using var client = app.CreateClientAs(CallerRole.Finance);
        using var closed = await client.PostAsync(new Uri("/api/ledger/periods/2001-01/close", UriKind.Relative), null);
        using var again = await client.PostAsync(new Uri("/api/ledger/periods/2001-01/close", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        Assert.Equal("2001-01", JsonDocument.Parse(await closed.Content.ReadAsStringAsync()).RootElement.GetProperty("period").GetString());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var problem = JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(LedgerRule.PeriodAlreadyClosed, problem.GetProperty("code").GetString());
    }

    private static (BookId Book, string MerchantId) NewContract()
    {
        var id = Guid.NewGuid().ToString("N")[..16];
        return (BookId.ForContract("ctr_" + id), "mer_" + id);
    }

    private static ProposedEntry Payment(BookId book, string merchantId, string key, decimal amount, LocalDate? effectiveDate = null) =>
        ProposedEntry.Create(
            book,
            IdempotencyKey.Parse(key, "idempotencyKey").Value,
            effectiveDate ?? new LocalDate(2026, 10, 30),
            "Statement paid by card",
            [Posting.Debit(AccountId.PlatformStripeClearing, new Money(amount, Yuan)), Posting.Credit(AccountId.MerchantReceivable(merchantId), new Money(amount, Yuan))]).Value;

    private static async Task<JsonElement> GetJsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private async Task AppendAsync(ProposedEntry entry) =>
        Assert.IsType<AppendResult.Appended>(await app.Services.GetRequiredService<LedgerService>().AppendAsync(entry, CancellationToken.None));
}
