using System.Globalization;
using System.Text.RegularExpressions;
using ServiceLedger.Infra.Tests.Bicep;

namespace ServiceLedger.Infra.Tests;

/// <summary>
/// Structural checks a Bicep compiler would do for us, as functions that list problems, so that the tests can run
/// them on the real files (expecting none) and on small broken examples (expecting the problem to be found).
/// </summary>
internal static partial class TemplateChecks
{
    /// <summary>Params and vars that nothing refers to (the linter's no-unused-params and no-unused-vars).</summary>
    public static IReadOnlyList<string> UnusedSymbols(BicepFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return [.. file.Declarations
            .Where(d => d.Keyword is "param" or "var")
            .Where(d => !file.IsReferenced(d.Name, d.Span))
            .Select(d => $"{file.Path}: {d.Keyword} '{d.Name}' is never used")];
    }

    /// <summary>
    /// For each module call: the module file exists, every param it requires (no default) is passed, nothing it does
    /// not declare is passed, and every '&lt;module&gt;.outputs.&lt;name&gt;' names an output it declares.
    /// </summary>
    public static IReadOnlyList<string> ModuleCallProblems(BicepFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var problems = new List<string>();
        var modules = new Dictionary<string, BicepFile>(StringComparer.Ordinal);
        foreach (var call in file.Modules)
        {
            var path = Path.GetFullPath(Path.Combine(file.Directory, call.Quoted ?? ""));
            if (!File.Exists(path))
            {
                problems.Add($"{file.Path}: module '{call.Name}' points at missing file '{call.Quoted}'");
                continue;
            }

            var module = BicepFile.Load(path);
            modules[call.Name] = module;
            var passed = call.Body?.Get("params")?.AsObject().Keys.ToHashSet(StringComparer.Ordinal) ?? [];
            foreach (var param in module.Params)
            {
                if (param.Value is null && !passed.Contains(param.Name))
                {
                    problems.Add($"{file.Path}: module '{call.Name}' does not pass required param '{param.Name}'");
                }
            }

            foreach (var name in passed.Where(p => module.Find("param", p) is null))
            {
                problems.Add($"{file.Path}: module '{call.Name}' passes '{name}', which {call.Quoted} does not declare");
            }
        }

        foreach (Match reference in OutputReference().Matches(file.Text.Mask))
        {
            var symbol = reference.Groups["module"].Value;
            var output = reference.Groups["output"].Value;
            if (modules.TryGetValue(symbol, out var module) && module.Find("output", output) is null)
            {
                problems.Add($"{file.Path}: '{symbol}.outputs.{output}' is not an output of {Path.GetFileName(module.Path)}");
            }
        }

        return problems;
    }

    /// <summary>
    /// A .bicepparam file: its 'using' path resolves to <paramref name="templatePath"/>, it sets every template param
    /// without a default, sets nothing the template does not declare, and each literal value satisfies the param's
    /// decorators (@allowed, @minValue, @maxValue, @minLength, @maxLength).
    /// </summary>
    public static IReadOnlyList<string> ParameterFileProblems(BicepFile parameterFile, BicepFile template, string templatePath)
    {
        ArgumentNullException.ThrowIfNull(parameterFile);
        ArgumentNullException.ThrowIfNull(template);
        var problems = new List<string>();
        var name = parameterFile.Path;
        var usings = parameterFile.Declarations.Where(d => d.Keyword == "using").ToList();
        if (usings.Count != 1 || usings[0].Quoted is null)
        {
            problems.Add($"{name}: needs exactly one using '<template>' line");
        }
        else
        {
            var target = Path.GetFullPath(Path.Combine(parameterFile.Directory, usings[0].Quoted!));
            if (!string.Equals(target, Path.GetFullPath(templatePath), StringComparison.Ordinal))
            {
                problems.Add($"{name}: using '{usings[0].Quoted}' resolves to {target}, not {templatePath}");
            }
        }

        var assigned = parameterFile.Params.ToDictionary(p => p.Name, StringComparer.Ordinal);
        foreach (var param in template.Params.Where(p => p.Value is null && !assigned.ContainsKey(p.Name)))
        {
            problems.Add($"{name}: does not set required param '{param.Name}'");
        }

        foreach (var (paramName, assignment) in assigned)
        {
            var declared = template.Find("param", paramName);
            if (declared is null)
            {
                problems.Add($"{name}: sets '{paramName}', which the template does not declare");
                continue;
            }

            if (assignment.Value is null)
            {
                problems.Add($"{name}: param '{paramName}' has no value");
                continue;
            }

            problems.AddRange(DecoratorViolations(declared, assignment.Value).Select(v => $"{name}: {v}"));
        }

        return problems;
    }

    /// <summary>How a literal value breaks the decorators of the param it is assigned to (empty when it does not).</summary>
    public static IReadOnlyList<string> DecoratorViolations(BicepDeclaration param, BicepValue value)
    {
        ArgumentNullException.ThrowIfNull(param);
        ArgumentNullException.ThrowIfNull(value);
        var problems = new List<string>();
        var text = value.StringLiteral;
        long? number = long.TryParse(value.Code, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;

        if (param.Decorator("allowed")?.Argument is { IsArray: true } allowed)
        {
            var options = allowed.AsArray();
            var matches = options.Any(o => (text is not null && o.StringLiteral == text) || (number is not null && o.Code == value.Code));
            if (!matches)
            {
                problems.Add($"'{param.Name}' = {value.Code} is not one of {string.Join(", ", options.Select(o => o.Code))}");
            }
        }

        CheckBound("minValue", number, (bound, actual) => actual >= bound);
        CheckBound("maxValue", number, (bound, actual) => actual <= bound);
        CheckBound("minLength", text?.Length, (bound, actual) => actual >= bound);
        CheckBound("maxLength", text?.Length, (bound, actual) => actual <= bound);
        return problems;

        void CheckBound(string decorator, long? actual, Func<long, long, bool> holds)
        {
            if (actual is null || param.Decorator(decorator)?.Argument is not { } argument)
            {
                return;
            }

            var bound = long.Parse(argument.Code, CultureInfo.InvariantCulture);
            if (!holds(bound, actual.Value))
            {
                problems.Add($"'{param.Name}' = {value.Code} breaks @{decorator}({bound})");
            }
        }
    }

    /// <summary>loadJsonContent/loadTextContent paths that do not exist relative to the file.</summary>
    public static IReadOnlyList<string> MissingLoadedFiles(BicepFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return [.. LoadedFile().Matches(file.Text.Source)
            .Select(m => m.Groups["path"].Value)
            .Where(p => !File.Exists(Path.Combine(file.Directory, p)))
            .Select(p => $"{file.Path}: loads missing file '{p}'")];
    }

    [GeneratedRegex(@"(?<![\w.])(?<module>[A-Za-z_]\w*)\.outputs\.(?<output>[A-Za-z_]\w*)")]
    private static partial Regex OutputReference();

    [GeneratedRegex(@"load(?:Json|Text|YamlFileAsBase64)?Content\(\s*'(?<path>[^']+)'")]
    private static partial Regex LoadedFile();
}
