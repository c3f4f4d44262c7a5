using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ServiceLedger.Functions.Auth;
using ServiceLedger.Functions.Parties;
using ServiceLedger.TestSupport.Api;
using ServiceLedger.TestSupport.Parties;

namespace ServiceLedger.Api.Tests.Parties;

public sealed class VendorsApiTests(ApiFactory app) : IClassFixture<ApiFactory>
{
    private static readonly Uri Vendors = new("/api/vendors", UriKind.Relative);

    private async Task<VendorResponse> ApplyAsync()
    {
        using var newcomer = app.CreateClientWithToken(app.MintToken([], null));
        using var response = await newcomer.PostAsJsonAsync(Vendors, PartySamples.Application());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<VendorResponse>())!;
    }

    private static Uri Action(VendorResponse vendor, string action) => new($"/api/vendors/{vendor.Id}/{action}", UriKind.Relative);

    [Fact]
    public async Task An_approver_certifies_an_applied_vendor_and_the_history_records_who_when_and_why()
    {
        var vendor = await ApplyAsync();
        using var approver = app.CreateClientAs(CallerRole.Approver);

        using var response = await approver.PostAsJsonAsync(Action(vendor, "certify"), new CertificationChangeRequest("营业执照与ISO证书已核验"));
        var certified = (await response.Content.ReadFromJsonAsync<VendorResponse>())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Certified", certified.Status);
        Assert.Equal(["Applied", "Certified"], certified.History.Select(change => change.Status));
        Assert.Equal(("approver", "营业执照与ISO证书已核验"), (certified.History[1].By.Role, certified.History[1].Reason));
        Assert.Equal(certified.Version, response.Headers.ETag?.ToString());
    }

    [Fact]
    public async Task The_vendor_sees_itself_another_vendor_gets_404_a_merchant_403()
    {
        var vendor = await ApplyAsync();
        var path = new Uri($"/api/vendors/{vendor.Id}", UriKind.Relative);
        using var own = app.CreateClientAs(CallerRole.Vendor, vendor.Id);
        using var foreign = app.CreateClientAs(CallerRole.Vendor, "ven_0000000000000");
        using var merchant = app.CreateClientAs(CallerRole.Merchant, "mer_0000000000000");

        Assert.Equal(HttpStatusCode.OK, (await own.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await foreign.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await merchant.GetAsync(path)).StatusCode);
    }

    [Theory]
    [InlineData(CallerRole.Finance, null)]
    [InlineData(CallerRole.Vendor, "own")]
    public async Task Only_an_approver_may_change_a_certification(CallerRole role, string? partyId)
    {
        var vendor = await ApplyAsync();
        using var client = app.CreateClientAs(role, partyId is null ? null : vendor.Id);

        using var response = await client.PostAsJsonAsync(Action(vendor, "certify"), new CertificationChangeRequest("self-certified"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task An_illegal_transition_answers_409_naming_the_current_status_and_a_missing_reason_400()
    {
        var vendor = await ApplyAsync();
        using var approver = app.CreateClientAs(CallerRole.Approver);

        using var suspend = await approver.PostAsJsonAsync(Action(vendor, "suspend"), new CertificationChangeRequest("why not"));
        using var noReason = await approver.PostAsJsonAsync(Action(vendor, "revoke"), new CertificationChangeRequest(null));
        var illegal = await suspend.Content.ReadFromJsonAsync<JsonElement>();
        var missing = await noReason.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Conflict, suspend.StatusCode);
        Assert.Equal("TransitionNotAllowed", illegal.GetProperty("code").GetString());
        Assert.Contains("is Applied", illegal.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.True(missing.GetProperty("errors").TryGetProperty("reason", out _));
    }

    [Fact]
    public async Task A_change_on_a_stale_version_answers_409_with_the_current_vendor_and_writes_nothing()
    {
        var vendor = await ApplyAsync();
        using var approver = app.CreateClientAs(CallerRole.Approver);
        using var certified = await approver.PostAsJsonAsync(Action(vendor, "certify"), new CertificationChangeRequest("OK"));

        using var stale = new HttpRequestMessage(HttpMethod.Post, Action(vendor, "revoke")) { Content = JsonContent.Create(new CertificationChangeRequest("Acting on what I saw")) };
        stale.Headers.TryAddWithoutValidation("If-Match", vendor.Version);
        using var response = await approver.SendAsync(stale);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("VersionConflict", problem.GetProperty("code").GetString());
        Assert.Equal("Certified", problem.GetProperty("current").GetProperty("status").GetString());
        var read = await approver.GetFromJsonAsync<VendorResponse>(new Uri($"/api/vendors/{vendor.Id}", UriKind.Relative));
        Assert.Equal("Certified", read!.Status);
    }

    [Fact]
    public async Task A_second_application_with_the_same_licence_answers_409()
    {
        var licence = PartySamples.UniqueLicence();
        using var newcomer = app.CreateClientWithToken(app.MintToken([], null));
        using var first = await newcomer.PostAsJsonAsync(Vendors, PartySamples.Application(licence));

        using var second = await newcomer.PostAsJsonAsync(Vendors, PartySamples.Application(licence));
        var problem = await second.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("VendorAlreadyApplied", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_bad_application_answers_400_naming_each_field()
    {
        using var newcomer = app.CreateClientWithToken(app.MintToken([], null));

        using var response = await newcomer.PostAsJsonAsync(Vendors, PartySamples.Application("91350100M000100Y44") with { StaffCount = 0, ServiceCategories = ["Sales"] });
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(
            ["licenceNumber", "serviceCategories[0]", "staffCount"],
            problem.GetProperty("errors").EnumerateObject().Select(field => field.Name));
    }

    [Fact]
    public async Task Finance_lists_vendors_of_one_status_and_a_vendor_may_not_list()
    {
        var vendor = await ApplyAsync();
        using var approver = app.CreateClientAs(CallerRole.Approver);
        await approver.PostAsJsonAsync(Action(vendor, "revoke"), new CertificationChangeRequest("Rejected"));
        using var finance = app.CreateClientAs(CallerRole.Finance);
        using var other = app.CreateClientAs(CallerRole.Vendor, vendor.Id);

        var ids = new List<string>();
        string? token = null;
        for (var page = 0; page < 50; page++)
        {
            var query = "/api/vendors?status=Revoked&pageSize=50" + (token is null ? string.Empty : "&continuationToken=" + Uri.EscapeDataString(token));
            var result = await finance.GetFromJsonAsync<VendorPageResponse>(new Uri(query, UriKind.Relative));
            Assert.All(result!.Items, item => Assert.Equal("Revoked", item.Status));
            ids.AddRange(result.Items.Select(item => item.Id));
            token = result.ContinuationToken;
            if (token is null)
            {
                break;
            }
        }

        Assert.Contains(vendor.Id, ids);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync(Vendors)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await finance.GetAsync(new Uri("/api/vendors?status=Gone", UriKind.Relative))).StatusCode);
    }
}
