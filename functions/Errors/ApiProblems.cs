using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using ServiceLedger.Domain;

namespace ServiceLedger.Functions.Errors;

/// <summary>
/// The one mapping from domain <see cref="Refusal"/>s (and the few hosting-level refusals) to RFC 9457 problem details:
/// <c>type</c> <c>urn:serviceledger:problem:&lt;Code&gt;</c>, <c>title</c> the code in words, <c>status</c>,
/// <c>detail</c> the first message, <c>code</c> the first code, and <c>errors</c> {field: [messages]} (docs/errors.md).
/// </summary>
public static partial class ApiProblems
{
    /// <summary>The prefix of every problem <c>type</c> we define; the rest is the refusal code.</summary>
    public const string TypePrefix = "urn:serviceledger:problem:";

    /// <summary>The extension member that carries the refusal code clients may switch on.</summary>
    public const string CodeMember = "code";

    /// <summary>The extension member that carries {field: [messages]}.</summary>
    public const string ErrorsMember = "errors";

    /// <summary>The field name used when a refusal concerns the whole request body rather than one member.</summary>
    public const string BodyField = "$";

    /// <summary>A problem for one refusal, 400 unless <paramref name="status"/> says otherwise (e.g. 409 for a conflict).</summary>
    public static ProblemHttpResult Refused(Refusal refusal, int status = StatusCodes.Status400BadRequest)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return Refused([refusal], status);
    }

    /// <summary>A problem for one or more refusals of the same request; the first one gives type, title and code.</summary>
    public static ProblemHttpResult Refused(IReadOnlyList<Refusal> refusals, int status = StatusCodes.Status400BadRequest) =>
        TypedResults.Problem(ToProblemDetails(refusals, status));

    /// <summary>The problem details for <paramref name="refusals"/> (see <see cref="Refused(IReadOnlyList{Refusal}, int)"/>).</summary>
    public static ProblemDetails ToProblemDetails(IReadOnlyList<Refusal> refusals, int status = StatusCodes.Status400BadRequest)
    {
        ArgumentNullException.ThrowIfNull(refusals);
        if (refusals.Count == 0)
        {
            throw new ArgumentException("A refusal problem needs at least one refusal.", nameof(refusals));
        }

        if (status is < 400 or > 599)
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "A problem has a 4xx or 5xx status.");
        }

        var first = refusals[0];
        var errors = new SortedDictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var group in refusals.GroupBy(r => FieldOrBody(r.Field), StringComparer.Ordinal))
        {
            errors[group.Key] = [.. group.Select(r => r.Message)];
        }

        return new ProblemDetails
        {
            Type = TypePrefix + first.Code,
            Title = Words(first.Code),
            Status = status,
            Detail = first.Message,
            Extensions =
            {
                [CodeMember] = first.Code,
                [ErrorsMember] = errors,
            },
        };
    }

    /// <summary>404 for a resource that does not exist or that the caller may not see (the two are indistinguishable on purpose).</summary>
    public static ProblemHttpResult NotFound(string what) => TypedResults.Problem(new ProblemDetails
    {
        Type = TypePrefix + "NotFound",
        Title = "Not found",
        Status = StatusCodes.Status404NotFound,
        Detail = $"No {what} with that id is visible to this caller.",
        Extensions = { [CodeMember] = "NotFound" },
    });

    /// <summary>"AmountMustBePositive" → "Amount must be positive", "IbanMustBeValid"/"IBANMustBeValid" keep acronyms: the code read as a sentence.</summary>
    public static string Words(string code)
    {
        ArgumentException.ThrowIfNullOrEmpty(code);
        var words = CodeWords().Matches(code).Select(m => m.Value).ToList();
        if (words.Count == 0)
        {
            return code;
        }

        // Acronyms (all capitals) stay as written; other words after the first are lower-cased.
        var text = new StringBuilder(char.ToUpperInvariant(words[0][0]) + words[0][1..]);
        foreach (var word in words.Skip(1))
        {
            text.Append(' ').Append(word.Length > 1 && word.All(char.IsUpper) ? word : word.ToLowerInvariant());
        }

        return text.ToString();
    }

    [GeneratedRegex("[A-Z]+(?![a-z])|[A-Z][a-z]*|[a-z]+|[0-9]+", RegexOptions.CultureInvariant)]
    private static partial Regex CodeWords();

    private static string FieldOrBody(string? field) => string.IsNullOrWhiteSpace(field) ? BodyField : field;
}
