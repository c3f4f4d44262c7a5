namespace ServiceLedger.Api.Tests.Billing;

using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using NodaTime;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Money;
using ServiceLedger.Domain.Settlement;
using ServiceLedger.Functions.Auth;
using ServiceLedger.Functions.Statements;
using ServiceLedger.TestSupport.Contracts;
using static BillingApiFixture;

/// <summary>
/// A dispute's credit note on a statement as the statements API shows it: the disputed statement's read says what was
/// credited and owes only the rest; the next statement lists the credit note as a memo line in JSON, CSV and PDF, outside
/// its lines and total. October 2026's statement of the sample contract; 12,000.00 of it credited on 2026-11-20.
/// </summary>
public sealed class CreditNoteStatementApiTests(ContractsApiFactory api) : IClassFixture<ContractsApiFactory>
{
    [Fact]
    public async Task The_disputed_statement_shows_what_was_credited_and_the_next_one_lists_it_as_a_memo_line_outside_its_total()
    {
        var october = await StoredOctoberStatementAsync(api);
        var note = new CreditNote(StatementId.For(october.Contract, october.Period, 1), new Money(12_000m, Currency.Cny), "dispute:dsp_credit_api", new LocalDate(2026, 11, 20));
        Assert.True(await api.Services.GetRequiredService<CreditNoteStore>().InsertAsync(october.Contract, "dsp_credit_api", note, "entry-1", Instant.FromUtc(2026, 11, 20, 2, 0), CancellationToken.None));
        var november = october with { Id = StatementRecord.IdFor(october.Contract, SettlementPeriod.Month(2026, 11), 1), Period = SettlementPeriod.Month(2026, 11), CreditNotes = [note] };
        Assert.True(await api.Services.GetRequiredService<StatementStore>().InsertAsync(november, CancellationToken.None));
        using var merchant = api.MerchantClient(october.Merchant);

        var disputed = await merchant.GetFromJsonAsync<JsonElement>($"/api/statements/{october.Id}");
        var next = await merchant.GetFromJsonAsync<JsonElement>($"/api/statements/{november.Id}");
        var csv = (await merchant.GetStringAsync($"/api/statements/{november.Id}.csv")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var pdf = Encoding.Latin1.GetString(await merchant.GetByteArrayAsync($"/api/statements/{november.Id}.pdf"));

        Assert.Equal("12000.00", disputed.GetProperty("credited").GetProperty("amount").GetString());
        Assert.Equal((october.Total - note.Credited).FormatAmount(), disputed.GetProperty("outstanding").GetProperty("amount").GetString());
        var memo = Assert.Single(next.GetProperty("creditNotes").EnumerateArray().ToArray());
        Assert.Equal("dispute:dsp_credit_api", memo.GetProperty("reference").GetString());
        Assert.Equal(october.Id, memo.GetProperty("statementId").GetString());
        Assert.Equal("2026-11-20", memo.GetProperty("resolvedOn").GetString());
        Assert.Equal(october.Lines.Count, next.GetProperty("lines").GetArrayLength());
        Assert.Equal(november.Total.FormatAmount(), next.GetProperty("total").GetProperty("amount").GetString());
        Assert.Single(csv, row => row.Contains(",CNY,memo,CreditNote,dispute:dsp_credit_api,-12000.00,", StringComparison.Ordinal));
        Assert.Equal(1 + november.Lines.Count + 3 + 1, csv.Length);
        Assert.Contains("dispute:dsp_credit_api", pdf, StringComparison.Ordinal);
        Assert.Contains("-12000.00", pdf, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Receivables_ageing_settles_the_disputed_statement_by_its_credit_note()
    {
        var october = await StoredOctoberStatementAsync(api);
        var note = new CreditNote(StatementId.For(october.Contract, october.Period, 1), october.Total, "dispute:dsp_ageing", new LocalDate(2026, 11, 20));
        Assert.True(await api.Services.GetRequiredService<CreditNoteStore>().InsertAsync(october.Contract, "dsp_ageing", note, "entry-2", Instant.FromUtc(2026, 11, 20, 2, 0), CancellationToken.None));
        using var finance = api.CreateClientAs(CallerRole.Finance);

        var ageing = await finance.GetFromJsonAsync<JsonElement>("/api/receivables/ageing");

        Assert.DoesNotContain(ageing.GetProperty("merchants").EnumerateArray(), line => line.GetProperty("merchantId").GetString() == october.Merchant.Value);
    }

    [Fact]
    public async Task A_payment_may_not_exceed_what_the_credit_note_left_owing()
    {
        var october = await StoredOctoberStatementAsync(api);
        var note = new CreditNote(StatementId.For(october.Contract, october.Period, 1), new Money(12_000m, Currency.Cny), "dispute:dsp_pay", new LocalDate(2026, 11, 20));
        Assert.True(await api.Services.GetRequiredService<CreditNoteStore>().InsertAsync(october.Contract, "dsp_pay", note, "entry-3", Instant.FromUtc(2026, 11, 20, 2, 0), CancellationToken.None));
        using var finance = api.CreateClientAs(CallerRole.Finance);
        var rest = (october.Total - note.Credited).FormatAmount();

        using var whole = await finance.PostAsJsonAsync($"/api/statements/{october.Id}/payments", Payment(october.Total.FormatAmount(), "pay-whole"));
        using var theRest = await finance.PostAsJsonAsync($"/api/statements/{october.Id}/payments", Payment(rest, "pay-rest"));
        var read = await finance.GetFromJsonAsync<JsonElement>($"/api/statements/{october.Id}");

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, whole.StatusCode);
        var problem = await whole.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(PaymentRule.ExceedsOutstanding, problem.GetProperty("code").GetString());
        Assert.Contains($"{rest} CNY outstanding", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("12000.00 CNY credited by credit notes", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.Created, theRest.StatusCode);
        Assert.Equal("0.00", (await theRest.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outstanding").GetProperty("amount").GetString());
        Assert.Equal((rest, "0.00"), (read.GetProperty("paid").GetProperty("amount").GetString(), read.GetProperty("outstanding").GetProperty("amount").GetString()));
    }

    private static object Payment(string amount, string requestId) =>
        new { amount = new { amount, currency = "CNY" }, receivedOn = "2026-11-02", reference = "CMB 88213", requestId };
}
