namespace ServiceLedger.TestSupport.Contracts;

using System.Collections.Concurrent;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using ServiceLedger.Domain;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Parties;
using ServiceLedger.Functions.Auth;
using ServiceLedger.Functions.Contracts;
using ServiceLedger.TestSupport.Api;

/// <summary>
/// The app for contract API tests: every vendor counts as certified unless a test marks it ineligible with
/// <see cref="MarkIneligible"/>, so contract tests do not depend on the vendor certification flow. Also fresh party ids
/// per test (storage is shared by the assembly) and clients for a merchant or vendor of those ids.
/// </summary>
public class ContractsApiFactory : ApiFactory
{
    private readonly ConcurrentDictionary<VendorId, string> ineligible = new();

    /// <summary>Makes <paramref name="vendor"/> ineligible from now on, with <paramref name="why"/> as the refusal message.</summary>
    public void MarkIneligible(VendorId vendor, string why) => ineligible[vendor] = why;

    /// <summary>A merchant id no other test uses.</summary>
    public static MerchantId NewMerchant() => MerchantId.Derive("api-" + Guid.NewGuid().ToString("N"));

    /// <summary>A vendor id no other test uses.</summary>
    public static VendorId NewVendor() => VendorId.Derive("api-" + Guid.NewGuid().ToString("N"));

    /// <summary>A client acting as a user of <paramref name="merchant"/>.</summary>
    public HttpClient MerchantClient(MerchantId merchant) => CreateClientAs(CallerRole.Merchant, merchant.Value);

    /// <summary>A client acting as a user of <paramref name="vendor"/>.</summary>
    public HttpClient VendorClient(VendorId vendor) => CreateClientAs(CallerRole.Vendor, vendor.Value);

    /// <summary>Drafts the sample terms (or <paramref name="terms"/>) as the merchant and returns the created contract.</summary>
    public async Task<ContractView> DraftAsync(MerchantId merchant, VendorId vendor, TermsInput? terms = null)
    {
        using var client = MerchantClient(merchant);
        using var response = await client.PostAsJsonAsync("/api/contracts", new DraftContractRequest(null, vendor.Value, terms ?? SampleTerms.Input));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<ContractView>(ContractJson.Options))!;
    }

    /// <inheritdoc />
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<IVendorEligibility>(new MarkedVendors(ineligible)));
    }

    private sealed class MarkedVendors(ConcurrentDictionary<VendorId, string> ineligible) : IVendorEligibility
    {
        public Task<Refusal?> CheckAsync(VendorId vendor, LocalDate onDate, CancellationToken cancellationToken) =>
            Task.FromResult(ineligible.TryGetValue(vendor, out var why) ? new Refusal(ContractRule.VendorNotEligible, "vendorId", why) : null);
    }
}
