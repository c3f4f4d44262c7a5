namespace ServiceLedger.Api.Tests.Contracts;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Functions.Contracts;
using ServiceLedger.TestSupport.Api;
using ServiceLedger.TestSupport.Contracts;

// The app as deployed, with the parties' vendor store behind the eligibility check (ContractsApiFactory replaces it).
public sealed class VendorEligibilityTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task A_vendor_that_never_applied_cannot_be_contracted()
    {
        var merchant = ContractsApiFactory.NewMerchant();
        using var client = api.CreateClientAs(Functions.Auth.CallerRole.Merchant, merchant.Value);

        using var response = await client.PostAsJsonAsync(
            "/api/contracts", new DraftContractRequest(null, ContractsApiFactory.NewVendor().Value, SampleTerms.Input));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(ContractRule.VendorNotEligible, problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("vendorId", out _));
    }
}
