namespace ServiceLedger.Api.Tests.Contracts;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Functions.Apis;
using ServiceLedger.Functions.Auth;
using ServiceLedger.Functions.Contracts;
using ServiceLedger.TestSupport.Contracts;

public sealed class ContractsApiTests(ContractsApiFactory api) : IClassFixture<ContractsApiFactory>
{
    [Fact]
    public async Task A_contract_goes_from_draft_to_signed_to_terminated_through_each_role()
    {
        var merchant = ContractsApiFactory.NewMerchant();
        var vendor = ContractsApiFactory.NewVendor();
        using var merchantClient = api.MerchantClient(merchant);
        using var vendorClient = api.VendorClient(vendor);
        using var approver = api.CreateClientAs(CallerRole.Approver);
        using var finance = api.CreateClientAs(CallerRole.Finance);

        var draft = await api.DraftAsync(merchant, vendor);
        var path = $"/api/contracts/{draft.Id}";
        Assert.Equal(("Draft", 1), (draft.Status, draft.Revision));

        var submitted = await Ok(await merchantClient.PostAsync(path + "/submit", null));
        Assert.Equal(["Platform", "Finance"], submitted.Versions[0].RequiredApprovals);

        var platformApproved = await Ok(await approver.PostAsync(path + "/approvals", null));
        Assert.Equal("PendingApproval", platformApproved.Status);
        var approved = await Ok(await finance.PostAsync(path + "/approvals", null));
        Assert.Equal("Approved", approved.Status);

        await Ok(await merchantClient.PostAsync(path + "/signatures", null));
        var signed = await Ok(await vendorClient.PostAsync(path + "/signatures", null));
        Assert.Equal("Signed", signed.Status);

        // Signed on Monday 2026-11-02 (the factory clock): the first base fee is due two working days later.
        Assert.Equal(("2026-11-02", "2026-11-04"), (signed.SignedOn, signed.FirstBaseFeeDueOn));

        var terminated = await Ok(await approver.PostAsJsonAsync(path + "/terminate", new ReasonRequest("Material breach")));
        Assert.Equal(("Terminated", "Material breach"), (terminated.Status, terminated.Reason));
        Assert.Equal(
            ["drafted", "submitted", "approved", "approved", "signed", "signed", "terminated"],
            terminated.History.Select(entry => entry.Action));
        Assert.Equal(["merchant", "merchant", "approver", "finance", "merchant", "vendor", "approver"], terminated.History.Select(entry => entry.By.Role));
    }

    [Fact]
    public async Task Creating_answers_201_with_location_etag_and_derived_figures()
    {
        using var client = api.MerchantClient(ContractsApiFactory.NewMerchant());

        using var response = await client.PostAsJsonAsync("/api/contracts", new DraftContractRequest(null, ContractsApiFactory.NewVendor().Value, SampleTerms.Input));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var view = (await response.Content.ReadFromJsonAsync<ContractView>(ContractJson.Options))!;
        Assert.Equal($"/api/contracts/{view.Id}", response.Headers.Location!.OriginalString);
        Assert.Equal("\"1\"", response.Headers.ETag!.Tag);
        Assert.Equal(new MoneyView("1080000.00", "CNY"), view.Figures!.AnnualValue);
        Assert.Equal("0.015", view.Versions[0].Terms.CommissionTiers![1].Rate);
    }

    [Fact]
    public async Task Invalid_terms_answer_400_naming_each_field_and_store_nothing()
    {
        var merchant = ContractsApiFactory.NewMerchant();
        using var client = api.MerchantClient(merchant);
        var terms = SampleTerms.Input with
        {
            CommissionTiers = [SampleTerms.Band("0", true, "0.3", false, "0.01"), SampleTerms.Band("0.35", true, "1", true, "0.02")],
            PlatformFeeRate = "2",
        };

        using var response = await client.PostAsJsonAsync("/api/contracts", new DraftContractRequest(null, ContractsApiFactory.NewVendor().Value, terms));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("terms.commissionTiers[1].from", out _), problem.ToString());
        Assert.True(errors.TryGetProperty("terms.platformFeeRate", out _), problem.ToString());
        Assert.Empty((await List(client, "")).Items);
    }

    [Fact]
    public async Task An_ineligible_vendor_cannot_be_contracted()
    {
        var vendor = ContractsApiFactory.NewVendor();
        api.MarkIneligible(vendor, "Vendor certification ISO-9001 expired on 2026-10-31.");
        using var client = api.MerchantClient(ContractsApiFactory.NewMerchant());

        using var response = await client.PostAsJsonAsync("/api/contracts", new DraftContractRequest(null, vendor.Value, SampleTerms.Input));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(ContractRule.VendorNotEligible, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_merchant_may_not_draft_for_another_merchant()
    {
        using var client = api.MerchantClient(ContractsApiFactory.NewMerchant());

        using var response = await client.PostAsJsonAsync(
            "/api/contracts", new DraftContractRequest(ContractsApiFactory.NewMerchant().Value, ContractsApiFactory.NewVendor().Value, SampleTerms.Input));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Finance_drafts_for_a_named_merchant()
    {
        var merchant = ContractsApiFactory.NewMerchant();
        using var finance = api.CreateClientAs(CallerRole.Finance);

        using var response = await finance.PostAsJsonAsync("/api/contracts", new DraftContractRequest(merchant.Value, ContractsApiFactory.NewVendor().Value, SampleTerms.Input));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(merchant.Value, (await response.Content.ReadFromJsonAsync<ContractView>(ContractJson.Options))!.MerchantId);
    }

    [Fact]
    public async Task Vendors_and_approvers_do_not_draft()
    {
        using var vendor = api.VendorClient(ContractsApiFactory.NewVendor());
        using var approver = api.CreateClientAs(CallerRole.Approver);
        var request = new DraftContractRequest(ContractsApiFactory.NewMerchant().Value, ContractsApiFactory.NewVendor().Value, SampleTerms.Input);

        Assert.Equal(HttpStatusCode.Forbidden, (await vendor.PostAsJsonAsync("/api/contracts", request)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await approver.PostAsJsonAsync("/api/contracts", request)).StatusCode);
    }

    [Fact]
    public async Task The_same_idempotency_key_answers_the_first_contract_and_another_body_conflicts()
    {
        var merchant = ContractsApiFactory.NewMerchant();
        var vendor = ContractsApiFactory.NewVendor();
        using var client = api.MerchantClient(merchant);
        var key = Guid.NewGuid().ToString("N");

        using var first = await PostWithKey(client, key, new DraftContractRequest(null, vendor.Value, SampleTerms.Input));
        using var again = await PostWithKey(client, key, new DraftContractRequest(null, vendor.Value, SampleTerms.Input));
        using var other = await PostWithKey(client, key, new DraftContractRequest(null, vendor.Value, SampleTerms.FixedFeeInput));

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.Conflict), (first.StatusCode, again.StatusCode, other.StatusCode));
        var firstView = (await first.Content.ReadFromJsonAsync<ContractView>(ContractJson.Options))!;
        Assert.Equal(firstView.Id, (await again.Content.ReadFromJsonAsync<ContractView>(ContractJson.Options))!.Id);
        Assert.Single((await List(client, "")).Items);
    }

    [Fact]
    public async Task A_foreign_merchant_or_vendor_gets_404_for_the_contract_and_cannot_act_on_it()
    {
        var draft = await api.DraftAsync(ContractsApiFactory.NewMerchant(), ContractsApiFactory.NewVendor());
        using var otherMerchant = api.MerchantClient(ContractsApiFactory.NewMerchant());
        using var otherVendor = api.VendorClient(ContractsApiFactory.NewVendor());

        Assert.Equal(HttpStatusCode.NotFound, (await otherMerchant.GetAsync($"/api/contracts/{draft.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherVendor.GetAsync($"/api/contracts/{draft.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherMerchant.PostAsync($"/api/contracts/{draft.Id}/submit", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherMerchant.GetAsync("/api/contracts/ctr_doesnotexist00")).StatusCode);
    }

    [Fact]
    public async Task The_contracts_vendor_and_staff_see_it()
    {
        var vendor = ContractsApiFactory.NewVendor();
        var draft = await api.DraftAsync(ContractsApiFactory.NewMerchant(), vendor);
        using var vendorClient = api.VendorClient(vendor);
        using var finance = api.CreateClientAs(CallerRole.Finance);
        using var approver = api.CreateClientAs(CallerRole.Approver);

        foreach (var client in new[] { vendorClient, finance, approver })
        {
            using var response = await client.GetAsync($"/api/contracts/{draft.Id}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("\"1\"", response.Headers.ETag!.Tag);
        }
    }

    [Fact]
    public async Task Lists_are_confined_to_the_callers_party_and_staff_filter_by_party()
    {
        var merchant = ContractsApiFactory.NewMerchant();
        var vendor = ContractsApiFactory.NewVendor();
        var mine = await api.DraftAsync(merchant, vendor);
        var theirs = await api.DraftAsync(ContractsApiFactory.NewMerchant(), vendor);
        using var merchantClient = api.MerchantClient(merchant);
        using var vendorClient = api.VendorClient(vendor);
        using var finance = api.CreateClientAs(CallerRole.Finance);

        Assert.Equal([mine.Id], (await List(merchantClient, "")).Items.Select(view => view.Id));
        Assert.Empty((await List(merchantClient, $"?merchantId={ContractsApiFactory.NewMerchant().Value}")).Items);
        Assert.Equal(new[] { mine.Id, theirs.Id }.Order(), (await List(vendorClient, "")).Items.Select(view => view.Id).Order());
        Assert.Equal(new[] { mine.Id, theirs.Id }.Order(), (await List(finance, $"?vendorId={vendor.Value}&status=Draft")).Items.Select(view => view.Id).Order());
        Assert.Empty((await List(finance, $"?vendorId={vendor.Value}&status=Signed")).Items);
    }

    [Fact]
    public async Task Lists_page_with_a_continuation_token()
    {
        var merchant = ContractsApiFactory.NewMerchant();
        var vendor = ContractsApiFactory.NewVendor();
        var ids = new List<string>();
        for (var index = 0; index < 3; index++)
        {
            ids.Add((await api.DraftAsync(merchant, vendor)).Id);
        }

        using var client = api.MerchantClient(merchant);
        var seen = new List<string>();
        string? token = null;
        for (var page = 0; page < 10; page++)
        {
            var list = await List(client, "?pageSize=2" + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token)));
            Assert.True(list.Items.Count <= 2);
            seen.AddRange(list.Items.Select(view => view.Id));
            token = list.ContinuationToken;
            if (token is null)
            {
                break;
            }
        }

        Assert.Equal(ids.Order(), seen.Order());
    }

    [Theory]
    [InlineData("?pageSize=0", "pageSize")]
    [InlineData("?pageSize=101", "pageSize")]
    [InlineData("?status=Signing", "status")]
    [InlineData("?merchantId=acme", "merchantId")]
    [InlineData("?continuationToken=forged", "continuationToken")]
    public async Task Bad_list_parameters_answer_400_naming_the_parameter(string query, string field)
    {
        using var finance = api.CreateClientAs(CallerRole.Finance);

        using var response = await finance.GetAsync("/api/contracts" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task A_stale_if_match_answers_409_with_the_current_version_and_changes_nothing()
    {
        var merchant = ContractsApiFactory.NewMerchant();
        var draft = await api.DraftAsync(merchant, ContractsApiFactory.NewVendor());
        using var merchantClient = api.MerchantClient(merchant);
        await Ok(await merchantClient.PostAsync($"/api/contracts/{draft.Id}/submit", null));
        using var first = api.CreateClientAs(CallerRole.Approver);
        using var finance = api.CreateClientAs(CallerRole.Finance);

        // Both read revision 2; the approver acts first, finance's decision was made on a version that is gone.
        using var approve = Request(HttpMethod.Post, $"/api/contracts/{draft.Id}/approvals", "\"2\"");
        using var approveLate = Request(HttpMethod.Post, $"/api/contracts/{draft.Id}/approvals", "\"2\"");
        using var won = await first.SendAsync(approve);
        using var lost = await finance.SendAsync(approveLate);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.Conflict), (won.StatusCode, lost.StatusCode));
        var problem = await lost.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, problem.GetProperty(ContractsApi.CurrentMember).GetProperty("revision").GetInt32());
        Assert.Equal("\"3\"", lost.Headers.ETag!.Tag);
        var current = await Ok(await finance.GetAsync($"/api/contracts/{draft.Id}"));
        Assert.Single(current.Versions[0].Approvals);
    }

    [Fact]
    public async Task A_malformed_if_match_answers_400()
    {
        var merchant = ContractsApiFactory.NewMerchant();
        var draft = await api.DraftAsync(merchant, ContractsApiFactory.NewVendor());
        using var client = api.MerchantClient(merchant);

        using var response = await client.SendAsync(Request(HttpMethod.Post, $"/api/contracts/{draft.Id}/submit", "\"two\""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task An_illegal_transition_answers_409_naming_the_current_state()
    {
        var merchant = ContractsApiFactory.NewMerchant();
        var draft = await api.DraftAsync(merchant, ContractsApiFactory.NewVendor());
        using var approver = api.CreateClientAs(CallerRole.Approver);

        using var response = await approver.PostAsync($"/api/contracts/{draft.Id}/approvals", null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(ContractRule.IllegalTransition, problem.GetProperty("code").GetString());
        Assert.Contains("is Draft", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Roles_outside_an_actions_remit_get_403()
    {
        var merchant = ContractsApiFactory.NewMerchant();
        var vendor = ContractsApiFactory.NewVendor();
        var draft = await api.DraftAsync(merchant, vendor);
        using var merchantClient = api.MerchantClient(merchant);
        using var vendorClient = api.VendorClient(vendor);
        using var finance = api.CreateClientAs(CallerRole.Finance);

        Assert.Equal(HttpStatusCode.Forbidden, (await vendorClient.PostAsync($"/api/contracts/{draft.Id}/submit", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await merchantClient.PostAsync($"/api/contracts/{draft.Id}/approvals", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await finance.PostAsync($"/api/contracts/{draft.Id}/signatures", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await merchantClient.PostAsJsonAsync($"/api/contracts/{draft.Id}/terminate", new ReasonRequest("x"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.CreateClient().GetAsync($"/api/contracts/{draft.Id}")).StatusCode);
    }

    [Fact]
    public async Task A_signed_contract_is_amended_with_approvals_and_both_signatures()
    {
        var merchant = ContractsApiFactory.NewMerchant();
        var vendor = ContractsApiFactory.NewVendor();
        var path = $"/api/contracts/{(await api.DraftAsync(merchant, vendor, SampleTerms.FixedFeeInput)).Id}";
        using var merchantClient = api.MerchantClient(merchant);
        using var vendorClient = api.VendorClient(vendor);
        using var approver = api.CreateClientAs(CallerRole.Approver);
        await Ok(await merchantClient.PostAsync(path + "/submit", null));
        await Ok(await approver.PostAsync(path + "/approvals", null));
        await Ok(await merchantClient.PostAsync(path + "/signatures", null));
        await Ok(await vendorClient.PostAsync(path + "/signatures", null));
        var newTerms = SampleTerms.FixedFeeInput with { LumpSumBaseFee = SampleTerms.Cny("60000.00") };

        var refused = await merchantClient.PostAsJsonAsync(path + "/amendments", new AmendmentRequest("2027-13-01", newTerms));
        var proposed = await Ok(await merchantClient.PostAsJsonAsync(path + "/amendments", new AmendmentRequest("2027-01-01", newTerms)));
        await Ok(await approver.PostAsJsonAsync(path + "/approvals", new ApprovalRequest(2, null)));
        await Ok(await vendorClient.PostAsJsonAsync(path + "/signatures", new SignatureRequest(2)));
        var amended = await Ok(await merchantClient.PostAsJsonAsync(path + "/signatures", new SignatureRequest(2)));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(("PendingApproval", "2027-01-01"), (proposed.Versions[1].Status, proposed.Versions[1].EffectiveFrom));
        Assert.Equal(("Signed", "Signed"), (amended.Versions[1].Status, amended.Status));
        Assert.Equal(new MoneyView("60000.00", "CNY"), amended.Figures!.BaseFeePerPeriod);
    }

    [Fact]
    public async Task Chinese_text_survives_storage()
    {
        var merchant = ContractsApiFactory.NewMerchant();
        var terms = SampleTerms.Input with
        {
            Seats = [new SeatInput { AgentType = "售前客服（夜班）", Count = 3, MonthlyRate = SampleTerms.Cny("5000.00") }],
        };
        var draft = await api.DraftAsync(merchant, ContractsApiFactory.NewVendor(), terms);
        using var finance = api.CreateClientAs(CallerRole.Finance);
        var terminated = await Ok(await finance.PostAsJsonAsync($"/api/contracts/{draft.Id}/terminate", new ReasonRequest("商家撤回：店铺关闭")));

        var read = await Ok(await finance.GetAsync($"/api/contracts/{draft.Id}"));

        Assert.Equal("售前客服（夜班）", read.Versions[0].Terms.Seats![0].AgentType);
        Assert.Equal("商家撤回：店铺关闭", read.Reason);
        Assert.Equal(terminated.Revision, read.Revision);
    }

    private static async Task<ContractView> Ok(HttpResponseMessage response)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
            return JsonSerializer.Deserialize<ContractView>(body, ContractJson.Options)!;
        }
    }

    private static async Task<ContractListResponse> List(HttpClient client, string query)
    {
        using var response = await client.GetAsync("/api/contracts" + query);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<ContractListResponse>(body, ContractJson.Options)!;
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, string ifMatch)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return request;
    }

    private static Task<HttpResponseMessage> PostWithKey(HttpClient client, string key, DraftContractRequest body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/contracts") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request);
    }
}
