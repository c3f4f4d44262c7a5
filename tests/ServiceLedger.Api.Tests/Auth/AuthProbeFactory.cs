using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using ServiceLedger.Functions.Auth;
using ServiceLedger.Functions.Errors;
using ServiceLedger.TestSupport.Api;

namespace ServiceLedger.Api.Tests.Auth;

/// <summary>
/// The app plus two probe endpoints under /api/test that exist only in this test host: one for finance only (role
/// checks) and one per party (tenant confinement), guarded exactly as product endpoints are (RequireRoles, CanSee).
/// They stand in until the ledger and contract APIs give real tenant-owned resources to test against.
/// </summary>
public sealed class AuthProbeFactory : ApiFactory
{
    /// <inheritdoc />
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddTransient<IStartupFilter, ProbeEndpoints>());
    }

    private sealed class ProbeEndpoints : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Map("/api/test", probe =>
            {
                probe.UseRouting();
                probe.UseCallerAuthentication();
                probe.UseEndpoints(endpoints =>
                {
                    endpoints.MapGet("/finance-only", () => TypedResults.Ok("finance")).RequireRoles(CallerRole.Finance);
                    endpoints.MapGet("/parties/{partyId}", IResult (string partyId, CallerContext caller) =>
                            PartyId.TryParse(partyId, out var owner) && caller.CanSee(owner)
                                ? TypedResults.Ok(owner.Value)
                                : ApiProblems.NotFound("party"))
                        .RequireRoles([.. CallerRoles.All]);
                });
            });
            next(app);
        };
    }
}
