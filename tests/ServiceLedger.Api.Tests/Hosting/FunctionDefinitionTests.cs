using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using ServiceLedger.Functions.Hosting;

namespace ServiceLedger.Api.Tests.Hosting;

/// <summary>The function.json files and the app agree: every route and trigger in one exists in the other.</summary>
public sealed class FunctionDefinitionTests : IClassFixture<WebApplicationFactory<Program>>
{
    /// <summary>
    /// Endpoints the app maps on purpose without a function.json, each with the reason. Keep this list small: an
    /// endpoint here is unreachable in Azure.
    /// </summary>
    private static readonly Dictionary<string, string> ExemptRoutes = new(StringComparer.Ordinal)
    {
        ["api/dev/tokens"] = "Development-only token minting: mapped only when the environment is Development, never deployed.",
    };

    private readonly WebApplicationFactory<Program> app;

    public FunctionDefinitionTests(WebApplicationFactory<Program> app) => this.app = app;

    [Fact]
    public void Every_function_json_matches_a_mapped_route_or_registered_trigger_and_back()
    {
        var problems = FunctionDefinitionCheck.Compare(
            MappedApiRoutes(app.Services), RegisteredTriggers(app.Services), Repository.FunctionDefinitions(), ExemptRoutes);

        Assert.Empty(problems);
    }

    [Fact]
    public void Health_has_a_function_json_so_the_platform_forwards_it()
    {
        var health = Assert.Single(Repository.FunctionDefinitions(), d => d.Folder == "Health");

        Assert.Equal(new HttpRoute("api/health", new HashSet<string> { "GET" }).Route, health.Http?.Route);
        Assert.True(health.Http!.Serves("GET"));
    }

    [Fact]
    public void Trigger_functions_registered_by_capabilities_are_checked_too()
    {
        // The same check over an app with test functions and no function.json for them: each one is reported.
        using var withTriggers = new AppWithTestFunctions();

        var problems = FunctionDefinitionCheck.Compare(
            MappedApiRoutes(withTriggers.Services), RegisteredTriggers(withTriggers.Services), Repository.FunctionDefinitions(), ExemptRoutes);

        Assert.Equal(3, problems.Count);
        Assert.All(
            [AppWithTestFunctions.Recorded, AppWithTestFunctions.Failing, AppWithTestFunctions.Timer],
            name => Assert.Contains(problems, p => p.Contains(name, StringComparison.Ordinal)));
    }

    [Fact]
    public void A_function_json_for_a_route_the_app_does_not_map_is_reported()
    {
        var problems = Check([Get("api/health")], [], [Http("Health", "health", "get"), Http("Ghost", "ghost", "get")]);

        Assert.Contains("Ghost: function.json routes /api/ghost, which the app does not map.", problems);
        Assert.Single(problems);
    }

    [Fact]
    public void A_mapped_api_endpoint_without_a_function_json_is_reported_unless_exempt()
    {
        var problems = Check([Get("api/health"), Get("api/contracts/{id:guid}"), Get("api/dev/tokens")], [], [Http("Health", "health", "get")]);

        Assert.Equal(["The app maps GET /api/contracts/{}, but no function.json routes it there."], problems);
    }

    [Fact]
    public void A_method_mapped_but_not_declared_is_reported()
    {
        var problems = Check(
            [new HttpRoute("api/contracts", new HashSet<string> { "GET", "POST" })], [], [Http("Contracts", "contracts", "get")]);

        Assert.Equal(["The app maps POST /api/contracts, but no function.json routes it there."], problems);
    }

    [Fact]
    public void Route_parameters_match_whatever_their_names_and_constraints()
    {
        var problems = Check([Get("/api/contracts/{contractId:guid}")], [], [Http("Contract", "contracts/{id}", "get")]);

        Assert.Empty(problems);
    }

    [Fact]
    public void An_http_function_json_with_a_function_key_an_api_prefix_or_extra_bindings_is_reported()
    {
        var keyed = FunctionDefinition.Parse("Keyed", """{"bindings":[{"type":"httpTrigger","direction":"in","name":"req","authLevel":"function","route":"health","methods":["get"]},{"type":"http","direction":"out","name":"res"}]}""", "api");
        var prefixed = FunctionDefinition.Parse("Prefixed", """{"bindings":[{"type":"httpTrigger","direction":"in","name":"req","authLevel":"anonymous","route":"api/health"},{"type":"http","direction":"out","name":"res"}]}""", "api");
        var bound = FunctionDefinition.Parse("Bound", """{"bindings":[{"type":"httpTrigger","direction":"in","name":"req","authLevel":"anonymous","route":"health"},{"type":"http","direction":"out","name":"res"},{"type":"queue","direction":"out","name":"q","queueName":"x"}]}""", "api");

        Assert.Contains("authLevel", Assert.Single(keyed.Problems), StringComparison.Ordinal);
        Assert.Contains("prefix", Assert.Single(prefixed.Problems), StringComparison.Ordinal);
        Assert.Contains("forward", Assert.Single(bound.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void A_trigger_function_json_must_name_the_same_queue_and_binding_as_the_registration()
    {
        var registered = new TriggerDeclaration("ApplyEvent", "queueTrigger", QueueTriggerFunction.MessageBinding, "events");
        var wrongQueue = FunctionDefinition.Parse("ApplyEvent", """{"bindings":[{"type":"queueTrigger","direction":"in","name":"message","queueName":"other","connection":"AzureWebJobsStorage"}]}""", "api");
        var right = FunctionDefinition.Parse("ApplyEvent", """{"bindings":[{"type":"queueTrigger","direction":"in","name":"message","queueName":"events","connection":"AzureWebJobsStorage"}]}""", "api");
        var orphan = FunctionDefinition.Parse("Nightly", """{"bindings":[{"type":"timerTrigger","direction":"in","name":"timer","schedule":"0 0 0 * * *"}]}""", "api");

        Assert.Single(FunctionDefinitionCheck.Compare([], [registered], [wrongQueue], ExemptRoutes));
        Assert.Empty(FunctionDefinitionCheck.Compare([], [registered], [right], ExemptRoutes));
        Assert.Equal(
            ["Nightly: function.json declares a timerTrigger that the app does not register."],
            FunctionDefinitionCheck.Compare([], [registered], [right, orphan], ExemptRoutes));
    }

    /// <summary>Every endpoint under /api that the running app maps, from its EndpointDataSource.</summary>
    internal static List<HttpRoute> MappedApiRoutes(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Select(e => (Route: HttpRoute.Normalise(e.RoutePattern.RawText ?? ""), e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods))
            .Where(e => e.Route == "api" || e.Route.StartsWith("api/", StringComparison.Ordinal))
            .Select(e => new HttpRoute(e.Route, e.HttpMethods is null ? null : e.HttpMethods.Select(m => m.ToUpperInvariant()).ToHashSet(StringComparer.Ordinal)))
            .ToList();

    /// <summary>Every trigger function the app registers, in the shape a function.json declares it.</summary>
    internal static List<TriggerDeclaration> RegisteredTriggers(IServiceProvider services) =>
        services.GetRequiredService<FunctionRegistry>().Functions
            .Select(f => new TriggerDeclaration(
                f.Name,
                f.TriggerType,
                f.BindingName,
                f switch
                {
                    QueueTriggerFunction q => q.QueueName,
                    TimerTriggerFunction t => t.ScheduleText,
                    _ => throw new InvalidOperationException($"Unknown trigger kind {f.GetType().Name}."),
                }))
            .ToList();

    private static IReadOnlyList<string> Check(IReadOnlyList<HttpRoute> mapped, IReadOnlyList<TriggerDeclaration> triggers, IReadOnlyList<FunctionDefinition> definitions) =>
        FunctionDefinitionCheck.Compare(mapped, triggers, definitions, ExemptRoutes);

    private static HttpRoute Get(string route) => new(HttpRoute.Normalise(route), new HashSet<string> { "GET" });

    private static FunctionDefinition Http(string folder, string route, params string[] methods) =>
        FunctionDefinition.Parse(
            folder,
            JsonSerializer.Serialize(new
            {
                bindings = new object[]
                {
                    new { type = "httpTrigger", direction = "in", name = "req", authLevel = "anonymous", route, methods },
                    new { type = "http", direction = "out", name = "res" },
                },
            }),
            "api");
}
