namespace ServiceLedger.Api.Tests.Disputes;

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using NodaTime;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Money;
using ServiceLedger.Functions.Apis;
using ServiceLedger.Functions.Auth;
using ServiceLedger.Functions.Contracts;
using ServiceLedger.Functions.Disputes;
using ServiceLedger.TestSupport.Contracts;

// The factory clock starts on Monday 2026-11-02 (Asia/Shanghai); deadlines count CN-2026 working days.
public sealed class DisputesApiTests(DisputesApiFactory api) : IClassFixture<DisputesApiFactory>
{
    // A statement id as the statements capability issues them: a resolution records its credit note beside that statement.
    private static readonly string StatementId = Functions.Statements.StatementRecord.IdFor(ContractId.Derive("disputes-api"), Domain.Calendar.SettlementPeriod.Month(2026, 10), 1);

    [Fact]
    public async Task A_dispute_goes_through_its_whole_lifecycle_with_each_role_and_internal_notes_stay_with_finance()
    {
        var (contract, merchantClient, vendorClient) = await ContractWithLinesAsync();
        using var finance = api.CreateClientAs(CallerRole.Finance);

        var opened = await Read(await merchantClient.PostAsJsonAsync("/api/disputes", Request(contract, 2, "120.00")), HttpStatusCode.Created);
        var path = $"/api/disputes/{opened.Id}";
        Assert.Equal(("Open", "2026-11-09"), (opened.State, opened.ResponseDueOn));
        Assert.Equal(new MoneyView("120.00", "CNY"), opened.OnHold);

        await Read(await vendorClient.PostAsJsonAsync(path + "/comments", new TextRequest("The figures come from the shop's own export.")));
        await Read(await merchantClient.PostAsJsonAsync(path + "/evidence", new EvidenceRequest("Refunds listed.", [new DocumentView("refunds.xlsx", "application/vnd.ms-excel", 10_240, new string('b', 64))])));
        await Read(await finance.PostAsJsonAsync(path + "/notes", new TextRequest("Check the vendor's prior disputes.")));
        var reviewing = await Read(await finance.PostAsJsonAsync(path + "/review", new TextRequest(null)));
        Assert.Equal(("UnderReview", "2026-11-16"), (reviewing.State, reviewing.ResponseDueOn));
        var resolved = await Read(await finance.PostAsJsonAsync(path + "/resolution", new DisputeResolutionRequest("partiallyAccepted", new MoneyView("50.00", "CNY"), "Half were in the period.")));
        Assert.Equal(("Resolved", "PartiallyAccepted", "50.00", "0.00"), (resolved.State, resolved.Outcome, resolved.ResolvedAmount!.Amount, resolved.OnHold!.Amount));
        var closed = await Read(await finance.PostAsJsonAsync(path + "/close", new TextRequest(null)));

        var asVendor = await Read(await vendorClient.GetAsync(path));
        Assert.Equal("Closed", closed.State);
        Assert.Equal(["opened", "commented", "evidence-added", "internal-note", "review-started", "resolved", "closed"], closed.Actions.Select(action => action.Action));
        Assert.Equal(["opened", "commented", "evidence-added", "review-started", "resolved", "closed"], asVendor.Actions.Select(action => action.Action));
        Assert.Equal(["merchant", "vendor", "merchant", "finance", "finance", "finance", "finance"], closed.Actions.Select(action => action.By.Role));
        Assert.Equal(64, closed.Actions[2].Documents[0].Sha256!.Length);
    }

    [Fact]
    public async Task A_second_dispute_on_the_same_line_is_refused_while_the_first_is_open()
    {
        var (contract, merchantClient, vendorClient) = await ContractWithLinesAsync();
        await Read(await merchantClient.PostAsJsonAsync("/api/disputes", Request(contract, 2, "10.00")), HttpStatusCode.Created);

        using var again = await vendorClient.PostAsJsonAsync("/api/disputes", Request(contract, 2, "5.00"));
        using var whole = await vendorClient.PostAsJsonAsync("/api/disputes", Request(contract, null, "5.00"));
        using var otherLine = await vendorClient.PostAsJsonAsync("/api/disputes", Request(contract, 3, "5.00"));

        await AssertProblem(again, HttpStatusCode.Conflict, "AlreadyDisputed", "line");
        await AssertProblem(whole, HttpStatusCode.Conflict, "AlreadyDisputed", "statementId");
        Assert.Equal(HttpStatusCode.Created, otherLine.StatusCode);
    }

    [Fact]
    public async Task Two_disputes_opened_at_once_on_one_line_store_exactly_one()
    {
        var (contract, merchantClient, vendorClient) = await ContractWithLinesAsync();

        var responses = await Task.WhenAll(
            merchantClient.PostAsJsonAsync("/api/disputes", Request(contract, 2, "10.00")),
            vendorClient.PostAsJsonAsync("/api/disputes", Request(contract, 2, "11.00")),
            merchantClient.PostAsJsonAsync("/api/disputes", Request(contract, 2, "12.00")));

        Assert.Single(responses, response => response.StatusCode == HttpStatusCode.Created);
        Assert.Equal(2, responses.Count(response => response.StatusCode == HttpStatusCode.Conflict));
        using var finance = api.CreateClientAs(CallerRole.Finance);
        var list = await finance.GetFromJsonAsync<DisputeList>($"/api/disputes?contractId={contract.Value}", DisputeJson.Options);
        Assert.Equal(1, list!.Count);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task Bad_input_answers_400_naming_each_field_and_opens_nothing()
    {
        var (contract, merchantClient, _) = await ContractWithLinesAsync();

        using var response = await merchantClient.PostAsJsonAsync("/api/disputes", new OpenDisputeRequest(
            contract.Value, StatementId, 0, new MoneyView("abc", "CNY"), "whatever", new EvidenceRequest(null, [new DocumentView("x", "pdf", 0, "zz")]), null));
        using var tooMuch = await merchantClient.PostAsJsonAsync("/api/disputes", Request(contract, 2, "300.01"));
        using var noSuchLine = await merchantClient.PostAsJsonAsync("/api/disputes", Request(contract, 9, "1.00"));

        var fields = await Fields(response, HttpStatusCode.BadRequest);
        Assert.Contains("subject.line", fields);
        Assert.Contains("amount.amount", fields);
        Assert.Contains("reason", fields);
        Assert.Contains("evidence.documents[0].contentType", fields);
        Assert.Contains("evidence.documents[0].sha256", fields);
        await AssertProblem(tooMuch, HttpStatusCode.BadRequest, "ContestedAmountOutOfRange", "amount");
        await AssertProblem(noSuchLine, HttpStatusCode.BadRequest, "DisputeSubjectInvalid", "line");
        using var finance = api.CreateClientAs(CallerRole.Finance);
        Assert.Equal(0, (await finance.GetFromJsonAsync<DisputeList>($"/api/disputes?contractId={contract.Value}", DisputeJson.Options))!.Count);
    }

    [Fact]
    public async Task Other_tenants_get_404_and_parties_cannot_take_finance_actions()
    {
        var (contract, merchantClient, vendorClient) = await ContractWithLinesAsync();
        var opened = await Read(await merchantClient.PostAsJsonAsync("/api/disputes", Request(contract, 2, "10.00")), HttpStatusCode.Created);
        using var stranger = api.MerchantClient(ContractsApiFactory.NewMerchant());

        using var read = await stranger.GetAsync($"/api/disputes/{opened.Id}");
        using var open = await stranger.PostAsJsonAsync("/api/disputes", Request(contract, 3, "1.00"));
        using var review = await vendorClient.PostAsJsonAsync($"/api/disputes/{opened.Id}/review", new TextRequest(null));
        var strangersList = await stranger.GetFromJsonAsync<DisputeList>("/api/disputes", DisputeJson.Options);

        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, open.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, review.StatusCode);
        Assert.Equal(0, strangersList!.Count);
    }

    [Fact]
    public async Task A_resolution_retried_after_success_posts_one_credit_note()
    {
        var (contract, merchantClient, _) = await ContractWithLinesAsync();
        using var finance = api.CreateClientAs(CallerRole.Finance);
        var opened = await Read(await merchantClient.PostAsJsonAsync("/api/disputes", Request(contract, 2, "200.00")), HttpStatusCode.Created);
        var path = $"/api/disputes/{opened.Id}";
        await Read(await finance.PostAsJsonAsync(path + "/review", new TextRequest(null)));

        var decision = new DisputeResolutionRequest("accepted", null, "The commission base included refunds.");
        var first = await Read(await finance.PostAsJsonAsync(path + "/resolution", decision));
        var retried = await Read(await finance.PostAsJsonAsync(path + "/resolution", decision));
        using var different = await finance.PostAsJsonAsync(path + "/resolution", new DisputeResolutionRequest("rejected", null, "Changed my mind."));

        Assert.Equal(first.Revision, retried.Revision);
        await AssertProblem(different, HttpStatusCode.Conflict, "IllegalDisputeTransition", "state");
        var entries = await finance.GetFromJsonAsync<PageView<EntryView>>($"/api/ledger/books/{contract.Book.Value}/entries", DisputeJson.Options);
        var credit = Assert.Single(entries!.Items, entry => entry.IdempotencyKey == $"dispute:{opened.Id}:resolution");
        Assert.Contains(credit.Postings, posting => posting is { Side: "credit", Amount.Amount: "200.00" } && posting.Account.EndsWith(":receivable", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_timer_escalates_overdue_disputes_once_and_notifies_the_parties()
    {
        var (contract, merchantClient, _) = await ContractWithLinesAsync();
        var opened = await Read(await merchantClient.PostAsJsonAsync("/api/disputes", Request(contract, 2, "10.00")), HttpStatusCode.Created);
        using var raw = api.CreateClient();
        var start = api.Clock.GetCurrentInstant();
        try
        {
            api.Clock.Advance(Duration.FromDays(7)); // Monday 9 November: the last day to respond.
            await Invoke(raw);
            using (var finance = api.CreateClientAs(CallerRole.Finance))
            {
                Assert.Equal("Open", (await Read(await finance.GetAsync($"/api/disputes/{opened.Id}"))).State);
            }


            api.Clock.Advance(Duration.FromDays(1));
            await Invoke(raw);
            await Invoke(raw);

            using var financeLater = api.CreateClientAs(CallerRole.Finance); // tokens are minted on the moved clock
            var escalated = await Read(await financeLater.GetAsync($"/api/disputes/{opened.Id}"));
            Assert.Equal("Escalated", escalated.State);
            Assert.Single(escalated.Actions, action => action.Action == "deadline-escalated");
            var notices = await api.PeekNoticesAsync();
            Assert.Single(notices, notice => notice.DisputeId == opened.Id);
        }
        finally
        {
            api.Clock.Set(start);
        }
    }

    private static async Task Invoke(HttpClient raw)
    {
        using var content = new StringContent("""{"Data":{"timer":{"ScheduleStatus":{},"IsPastDue":false}},"Metadata":{}}""", Encoding.UTF8, "application/json");
        using var response = await raw.PostAsync("/EscalateOverdueDisputes", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<(ContractId Contract, HttpClient Merchant, HttpClient Vendor)> ContractWithLinesAsync()
    {
        var merchant = ContractsApiFactory.NewMerchant();
        var vendor = ContractsApiFactory.NewVendor();
        var draft = await api.DraftAsync(merchant, vendor);
        var contract = ContractId.Parse(draft.Id, "id").Value;
        api.AddStatementLine(contract, StatementId, null, new Money(1_000m, Currency.Cny));
        api.AddStatementLine(contract, StatementId, 2, new Money(300m, Currency.Cny));
        api.AddStatementLine(contract, StatementId, 3, new Money(50m, Currency.Cny));
        return (contract, api.MerchantClient(merchant), api.VendorClient(vendor));
    }

    private static OpenDisputeRequest Request(ContractId contract, int? line, string amount) =>
        new(contract.Value, StatementId, line, new MoneyView(amount, "CNY"), "commissionBase", new EvidenceRequest("Sales include refunded orders.", null), null);

    private static async Task<DisputeView> Read(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using (response)
        {
            Assert.True(response.StatusCode == expected, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            return (await response.Content.ReadFromJsonAsync<DisputeView>(DisputeJson.Options))!;
        }
    }

    private static async Task<string[]> Fields(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.Equal(expected, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        return [.. problem.GetProperty("errors").EnumerateObject().Select(error => error.Name)];
    }

    private static async Task AssertProblem(HttpResponseMessage response, HttpStatusCode status, string code, string field)
    {
        Assert.True(response.StatusCode == status, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Contains(field, problem.GetProperty("errors").EnumerateObject().Select(error => error.Name));
    }
}
