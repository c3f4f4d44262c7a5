using System.Text.Json;
using System.Text.RegularExpressions;

namespace ServiceLedger.Api.Tests.Hosting;

/// <summary>An HTTP route the app maps (or a function.json declares): normalised route and methods (null = any method).</summary>
/// <param name="Route">Lower-case, no leading slash, parameters written "{}" (names and constraints dropped).</param>
/// <param name="Methods">Upper-case methods, or null for any.</param>
public sealed partial record HttpRoute(string Route, IReadOnlySet<string>? Methods)
{
    /// <summary>True when this route serves <paramref name="method"/>.</summary>
    public bool Serves(string method) => Methods is null || Methods.Contains(method);

    /// <summary>"api/contracts/{}/terms" from "/api/contracts/{id:guid}/terms".</summary>
    public static string Normalise(string route) =>
        Parameter().Replace(route.Trim().Trim('/').ToLowerInvariant(), m => m.Value.StartsWith("{*", StringComparison.Ordinal) ? "{*}" : "{}");

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Parameter();
}

/// <summary>A non-HTTP trigger function: from the registry (mapped) or from a function.json (declared).</summary>
/// <param name="Name">Function name (folder name).</param>
/// <param name="TriggerType">queueTrigger or timerTrigger.</param>
/// <param name="BindingName">The trigger binding's name.</param>
/// <param name="Source">The queue name or the schedule.</param>
public sealed record TriggerDeclaration(string Name, string TriggerType, string BindingName, string Source);

/// <summary>A function.json as the Functions host reads it.</summary>
/// <param name="Folder">The folder name, which is the function name.</param>
/// <param name="Http">The HTTP route it serves (with the host's route prefix), if it is an HTTP function.</param>
/// <param name="Trigger">The trigger, if it is a queue or timer function.</param>
/// <param name="Problems">What the host or our forwarding set-up would reject in the file itself.</param>
public sealed record FunctionDefinition(string Folder, HttpRoute? Http, TriggerDeclaration? Trigger, IReadOnlyList<string> Problems)
{
    /// <summary>Reads one functions/definitions/&lt;Folder&gt;/function.json, given host.json's route prefix.</summary>
    public static FunctionDefinition Parse(string folder, string json, string routePrefix)
    {
        using var document = JsonDocument.Parse(json);
        var bindings = document.RootElement.GetProperty("bindings").EnumerateArray().ToList();
        var problems = new List<string>();
        string Text(JsonElement b, string name) => b.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
        var triggers = bindings.Where(b => Text(b, "type").EndsWith("Trigger", StringComparison.Ordinal)).ToList();
        if (triggers.Count != 1)
        {
            problems.Add($"{folder}: has {triggers.Count} trigger bindings; the host needs exactly one.");
            return new FunctionDefinition(folder, null, null, problems);
        }

        var trigger = triggers[0];
        var type = Text(trigger, "type");
        if (type == "httpTrigger")
        {
            // Forwarding sends the raw request only to functions with just an HTTP trigger and an HTTP output (azure.md 1.5).
            if (bindings.Count != 2 || !bindings.Any(b => Text(b, "type") == "http" && Text(b, "direction") == "out"))
            {
                problems.Add($"{folder}: an HTTP function must have exactly an httpTrigger and an http output, or the host will not forward the request.");
            }

            // Authorisation is ours (bearer tokens); a function key on top would lock out every caller.
            if (Text(trigger, "authLevel") != "anonymous")
            {
                problems.Add($"{folder}: authLevel must be \"anonymous\"; the app checks tokens itself.");
            }

            var route = Text(trigger, "route");
            if (route.Length == 0 || route.TrimStart('/').StartsWith(routePrefix + "/", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"{folder}: route must be set and written without the \"{routePrefix}/\" prefix the host adds.");
            }

            IReadOnlySet<string>? methods = trigger.TryGetProperty("methods", out var m) && m.ValueKind == JsonValueKind.Array
                ? m.EnumerateArray().Select(e => e.GetString()!.ToUpperInvariant()).ToHashSet(StringComparer.Ordinal)
                : null;
            return new FunctionDefinition(folder, new HttpRoute(HttpRoute.Normalise(routePrefix + "/" + route), methods), null, problems);
        }

        var source = type switch
        {
            "queueTrigger" => Text(trigger, "queueName"),
            "timerTrigger" => Text(trigger, "schedule"),
            _ => "",
        };
        if (source.Length == 0)
        {
            problems.Add($"{folder}: a {type} binding needs its queueName or schedule (only queue and timer triggers are served).");
        }

        return new FunctionDefinition(folder, null, new TriggerDeclaration(folder, type, Text(trigger, "name"), source), problems);
    }
}

/// <summary>
/// Compares what the app maps with what the function.json files declare, both ways: a function.json the app cannot
/// serve fails at the host, and a mapped endpoint or trigger without a function.json is simply never called in Azure.
/// </summary>
public static class FunctionDefinitionCheck
{
    /// <summary>Every mismatch, as a sentence naming the route or function; empty when the two agree.</summary>
    public static IReadOnlyList<string> Compare(
        IReadOnlyList<HttpRoute> mappedApiRoutes,
        IReadOnlyList<TriggerDeclaration> registeredTriggers,
        IReadOnlyList<FunctionDefinition> definitions,
        IReadOnlyDictionary<string, string> exemptRoutes)
    {
        var problems = definitions.SelectMany(d => d.Problems).ToList();
        var declaredHttp = definitions.Where(d => d.Http is not null).ToList();

        foreach (var definition in declaredHttp)
        {
            var declared = definition.Http!;
            var mapped = mappedApiRoutes.Where(r => r.Route == declared.Route).ToList();
            if (mapped.Count == 0)
            {
                problems.Add($"{definition.Folder}: function.json routes /{declared.Route}, which the app does not map.");
                continue;
            }

            var unserved = declared.Methods is null
                ? (mapped.Any(r => r.Methods is null) ? [] : ["any method"])
                : declared.Methods.Where(method => !mapped.Any(r => r.Serves(method))).ToList();
            if (unserved.Count > 0)
            {
                problems.Add($"{definition.Folder}: function.json allows {string.Join(", ", unserved)} on /{declared.Route}, which the app does not map.");
            }
        }

        foreach (var route in mappedApiRoutes.Where(r => !exemptRoutes.ContainsKey(r.Route)))
        {
            var covering = declaredHttp.Where(d => d.Http!.Route == route.Route).Select(d => d.Http!).ToList();
            var uncovered = route.Methods is null
                ? (covering.Any(c => c.Methods is null) ? [] : ["any method"])
                : route.Methods.Where(method => !covering.Any(c => c.Serves(method))).ToList();
            if (uncovered.Count > 0)
            {
                problems.Add($"The app maps {string.Join(", ", uncovered)} /{route.Route}, but no function.json routes it there.");
            }
        }

        var declaredTriggers = definitions.Where(d => d.Trigger is not null).Select(d => d.Trigger!)
            .ToDictionary(t => t.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var registered in registeredTriggers)
        {
            if (!declaredTriggers.TryGetValue(registered.Name, out var declared))
            {
                problems.Add($"Function {registered.Name} ({registered.TriggerType}) is registered but has no functions/definitions/{registered.Name}/function.json.");
            }
            else if (declared != registered)
            {
                problems.Add($"{registered.Name}: function.json declares {declared}, the app registers {registered}.");
            }
        }

        var registeredNames = registeredTriggers.Select(t => t.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        problems.AddRange(declaredTriggers.Values
            .Where(t => !registeredNames.Contains(t.Name))
            .Select(t => $"{t.Name}: function.json declares a {t.TriggerType} that the app does not register."));
        return problems;
    }
}
