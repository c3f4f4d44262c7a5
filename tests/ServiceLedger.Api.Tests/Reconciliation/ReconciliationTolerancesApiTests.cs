using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ServiceLedger.Api.Tests.Billing;
using ServiceLedger.Functions.Auth;
using ServiceLedger.TestSupport.Contracts;

namespace ServiceLedger.Api.Tests.Reconciliation;

/// <summary>GET and PUT /api/contracts/{id}/reconciliation-tolerance: the default, finance setting it, refusals, retries.</summary>
public sealed class ReconciliationTolerancesApiTests(ContractsApiFactory api) : IClassFixture<ContractsApiFactory>
{
    [Fact]
    public async Task A_contract_starts_at_the_default_one_percent_and_finance_sets_its_own_which_get_then_shows()
    {
        var contract = await BillingApiFixture.ActiveContractAsync(api);
        using var finance = api.CreateClientAs(CallerRole.Finance);
        var path = $"/api/contracts/{contract.Id}/reconciliation-tolerance";

        var before = await ReadAsync(await finance.GetAsync(path), HttpStatusCode.OK);
        var set = await ReadAsync(await finance.PutAsJsonAsync(path, new { rate = "0.025", requestId = "tol-1" }), HttpStatusCode.OK);
        var after = await ReadAsync(await finance.GetAsync(path), HttpStatusCode.OK);

        Assert.Equal(("0.01", "1%", true), (before.GetProperty("rate").GetString(), before.GetProperty("percent").GetString(), before.GetProperty("isDefault").GetBoolean()));
        Assert.Equal(("0.025", "2.5%", false), (set.GetProperty("rate").GetString(), set.GetProperty("percent").GetString(), set.GetProperty("isDefault").GetBoolean()));
        Assert.Equal(set.GetRawText(), after.GetRawText());
        Assert.Matches("^20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$", after.GetProperty("setAt").GetString()!);
    }

    [Fact]
    public async Task A_rate_outside_zero_to_one_or_in_percent_form_and_a_bad_request_id_are_refused_naming_the_fields_and_nothing_is_stored()
    {
        var contract = await BillingApiFixture.ActiveContractAsync(api);
        using var finance = api.CreateClientAs(CallerRole.Finance);
        var path = $"/api/contracts/{contract.Id}/reconciliation-tolerance";

        var tooHigh = await ReadAsync(await finance.PutAsJsonAsync(path, new { rate = "1.5", requestId = "has spaces" }), HttpStatusCode.BadRequest);
        var percent = await ReadAsync(await finance.PutAsJsonAsync(path, new { rate = "2%" }), HttpStatusCode.BadRequest);
        var missing = await ReadAsync(await finance.PutAsJsonAsync(path, new { }), HttpStatusCode.BadRequest);

        Assert.Equal(["rate", "requestId"], Fields(tooHigh));
        Assert.Equal(["rate"], Fields(percent));
        Assert.Equal(["rate"], Fields(missing));
        Assert.True((await ReadAsync(await finance.GetAsync(path), HttpStatusCode.OK)).GetProperty("isDefault").GetBoolean());
    }

    [Fact]
    public async Task A_retried_request_answers_what_it_stored_and_the_same_request_id_with_another_rate_is_a_conflict()
    {
        var contract = await BillingApiFixture.ActiveContractAsync(api);
        using var finance = api.CreateClientAs(CallerRole.Finance);
        var path = $"/api/contracts/{contract.Id}/reconciliation-tolerance";

        var first = await ReadAsync(await finance.PutAsJsonAsync(path, new { rate = "0.02", requestId = "tol-a" }), HttpStatusCode.OK);
        api.Clock.Advance(NodaTime.Duration.FromMinutes(5));
        var retry = await ReadAsync(await finance.PutAsJsonAsync(path, new { rate = "0.020", requestId = "tol-a" }), HttpStatusCode.OK);
        var reused = await ReadAsync(await finance.PutAsJsonAsync(path, new { rate = "0.05", requestId = "tol-a" }), HttpStatusCode.Conflict);

        Assert.Equal(first.GetRawText(), retry.GetRawText());
        Assert.Equal(["requestId"], Fields(reused));
        Assert.Equal("0.02", (await ReadAsync(await finance.GetAsync(path), HttpStatusCode.OK)).GetProperty("rate").GetString());
    }

    [Fact]
    public async Task Only_finance_reads_or_sets_it_and_an_unknown_contract_is_404()
    {
        var contract = await BillingApiFixture.ActiveContractAsync(api);
        var path = $"/api/contracts/{contract.Id}/reconciliation-tolerance";
        using var merchant = api.MerchantClient(contract.Merchant);
        using var finance = api.CreateClientAs(CallerRole.Finance);

        using var merchantPut = await merchant.PutAsJsonAsync(path, new { rate = "0.5" });
        using var merchantGet = await merchant.GetAsync(path);
        using var unknown = await finance.PutAsJsonAsync("/api/contracts/ctr_doesnotexist00/reconciliation-tolerance", new { rate = "0.02" });

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.NotFound), (merchantPut.StatusCode, merchantGet.StatusCode, unknown.StatusCode));
        Assert.True((await ReadAsync(await finance.GetAsync(path), HttpStatusCode.OK)).GetProperty("isDefault").GetBoolean());
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {text}");
            return JsonDocument.Parse(text).RootElement.Clone();
        }
    }

    private static string[] Fields(JsonElement problem) =>
        [.. problem.GetProperty("errors").EnumerateObject().Select(member => member.Name).Order(StringComparer.Ordinal)];
}
