using ServiceLedger.Infra.Tests.Bicep;

namespace ServiceLedger.Infra.Tests;

/// <summary>
/// The text reader and the checks on small examples, broken on purpose: the infra tests pass on the real files only
/// because these checks would have found the problem.
/// </summary>
public sealed class BicepReaderTests
{
    private const string Module = """
        @description('Where.')
        param location string
        param tags object = {}
        @allowed([
          'dev'
          'prod'
        ])
        param environmentName string
        @minValue(40)
        @maxValue(1000)
        param maximumInstanceCount int = 100

        var label = '${environmentName}-${maximumInstanceCount}' // a comment with 'quotes' and { braces
        /* a block comment: param ghost string */
        resource site 'Microsoft.Web/sites@2024-04-01' = {
          name: 'app-${label}'
          location: location
          tags: tags
          properties: {
            siteConfig: {
              minTlsVersion: '1.2'
            }
            note: 'a string with } and : inside'
          }
        }

        output hostName string = site.properties.defaultHostName
        """;

    [Fact]
    public void Reads_declarations_decorators_and_nested_properties_ignoring_comments_and_strings()
    {
        var file = BicepFile.Parse(Module);
        var site = file.Get("resource", "site");

        Assert.Empty(file.Problems);
        Assert.Equal(["location", "tags", "environmentName", "maximumInstanceCount"], file.Params.Select(p => p.Name));
        Assert.Null(file.Find("param", "ghost"));
        Assert.Equal("Microsoft.Web/sites", site.ResourceType);
        Assert.Equal("2024-04-01", site.ApiVersion);
        Assert.Equal("1.2", site.Body!.Find("properties.siteConfig.minTlsVersion")!.StringLiteral);
        Assert.Equal("a string with } and : inside", site.Body!.Find("properties.note")!.StringLiteral);
        Assert.Equal(["'dev'", "'prod'"], file.Get("param", "environmentName").Decorator("allowed")!.Argument!.AsArray().Select(v => v.Code));
        Assert.Equal("1000", file.Get("param", "maximumInstanceCount").Decorator("maxValue")!.Argument!.Code);
    }

    [Fact]
    public void Reports_an_unclosed_brace_and_a_statement_that_is_not_a_declaration()
    {
        Assert.NotEmpty(BicepFile.Parse("resource x 'A/b@1' = {\n  name: 'x'\n").Problems);
        Assert.NotEmpty(BicepFile.Parse("param a string\nthis is not bicep\n").Problems);
        Assert.NotEmpty(BicepFile.Parse("var a = 'not closed\n").Problems);
    }

    [Fact]
    public void Finds_a_param_that_is_only_used_as_a_property_key()
    {
        var file = BicepFile.Parse("param used string\nparam unused string\nvar x = {\n  unused: used\n}\noutput o object = x\n");

        Assert.Equal(["<inline>: param 'unused' is never used"], TemplateChecks.UnusedSymbols(file));
    }

    [Fact]
    public void Finds_a_module_call_that_misses_a_required_param_passes_an_unknown_one_or_reads_a_missing_output()
    {
        var directory = Directory.CreateTempSubdirectory("infra-tests-");
        try
        {
            File.WriteAllText(Path.Combine(directory.FullName, "child.bicep"), "param required string\nparam optional int = 1\noutput name string = required\n");
            var parentPath = Path.Combine(directory.FullName, "main.bicep");
            File.WriteAllText(parentPath, """
                module child 'child.bicep' = {
                  name: 'child'
                  params: {
                    optional: 2
                    surprise: 'x'
                  }
                }
                output n string = child.outputs.nmae
                """);

            var problems = TemplateChecks.ModuleCallProblems(BicepFile.Load(parentPath));

            Assert.Equal(3, problems.Count);
            Assert.Contains(problems, p => p.Contains("does not pass required param 'required'", StringComparison.Ordinal));
            Assert.Contains(problems, p => p.Contains("passes 'surprise'", StringComparison.Ordinal));
            Assert.Contains(problems, p => p.Contains("'child.outputs.nmae' is not an output", StringComparison.Ordinal));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Finds_parameter_file_mistakes_a_compiler_would_refuse()
    {
        var directory = Directory.CreateTempSubdirectory("infra-tests-");
        try
        {
            var templatePath = Path.Combine(directory.FullName, "main.bicep");
            File.WriteAllText(templatePath, Module);
            Directory.CreateDirectory(Path.Combine(directory.FullName, "env"));
            var good = Path.Combine(directory.FullName, "env", "good.bicepparam");
            var bad = Path.Combine(directory.FullName, "env", "bad.bicepparam");
            File.WriteAllText(good, "using '../main.bicep'\nparam location = 'westeurope'\nparam environmentName = 'dev'\n");
            File.WriteAllText(bad, "using './main.bicep'\nparam environmentName = 'test'\nparam maximumInstanceCount = 20\nparam colour = 'red'\n");
            var template = BicepFile.Load(templatePath);

            var goodProblems = TemplateChecks.ParameterFileProblems(BicepFile.Load(good), template, templatePath);
            var badProblems = TemplateChecks.ParameterFileProblems(BicepFile.Load(bad), template, templatePath);

            Assert.Empty(goodProblems);
            Assert.Equal(5, badProblems.Count);
            Assert.Contains(badProblems, p => p.Contains("using './main.bicep' resolves to", StringComparison.Ordinal));
            Assert.Contains(badProblems, p => p.Contains("does not set required param 'location'", StringComparison.Ordinal));
            Assert.Contains(badProblems, p => p.Contains("'environmentName' = 'test' is not one of 'dev', 'prod'", StringComparison.Ordinal));
            Assert.Contains(badProblems, p => p.Contains("'maximumInstanceCount' = 20 breaks @minValue(40)", StringComparison.Ordinal));
            Assert.Contains(badProblems, p => p.Contains("sets 'colour', which the template does not declare", StringComparison.Ordinal));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Evaluates_identifiers_and_simple_interpolations_only()
    {
        var file = BicepFile.Parse("var a = '${q}-poison'\nvar b = q\nvar c = '${toUpper(q)}'\n");
        var values = new Dictionary<string, string>(StringComparer.Ordinal) { ["q"] = "orders" };

        Assert.Equal("orders-poison", file.Get("var", "a").Value!.Interpolate(values));
        Assert.Equal("orders", file.Get("var", "b").Value!.Interpolate(values));
        Assert.Null(file.Get("var", "c").Value!.Interpolate(values));
    }
}
