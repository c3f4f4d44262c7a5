using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using ServiceLedger.Domain;

namespace ServiceLedger.Functions.Errors;

/// <summary>
/// The last word on exceptions: a request the framework could not bind (bad JSON, wrong type, missing body, body too
/// large) answers its 4xx with problem details naming the field; anything else is a bug or an I/O fault, logged with
/// the trace id and answered 500 with no exception text or stack trace.
/// </summary>
public sealed partial class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ArgumentNullException.ThrowIfNull(exception);
        ProblemDetails problem;
        if (exception is BadHttpRequestException badRequest)
        {
            logger.LogInformation("Refused {Method} {Path}: {Status} {Reason}", httpContext.Request.Method, httpContext.Request.Path, badRequest.StatusCode, badRequest.Message);
            problem = ForBadRequest(badRequest);
        }
        else
        {
            // People report the trace id; the log line has the rest.
            logger.LogError(
                exception,
                "Unhandled exception on {Method} {Path} (trace {TraceId})",
                httpContext.Request.Method,
                httpContext.Request.Path,
                httpContext.TraceIdentifier);
            problem = new ProblemDetails
            {
                Type = ApiProblems.TypePrefix + "Unexpected",
                Title = "An unexpected error occurred",
                Status = StatusCodes.Status500InternalServerError,
                Detail = "The error was logged. If it persists, report it with the traceId of this response.",
                Extensions = { [ApiProblems.CodeMember] = "Unexpected" },
            };
        }

        httpContext.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    /// <summary>The problem for a request the framework refused while binding it.</summary>
    internal static ProblemDetails ForBadRequest(BadHttpRequestException exception)
    {
        if (exception.InnerException is JsonException json)
        {
            return ApiProblems.ToProblemDetails(JsonProblems.Refusals(json));
        }

        if (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return ApiProblems.ToProblemDetails(
                [new Refusal(RequestBodyLimit.BodyTooLargeCode, ApiProblems.BodyField, "The request body is larger than this endpoint accepts.")],
                StatusCodes.Status413PayloadTooLarge);
        }

        if (exception.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            return ApiProblems.ToProblemDetails(
                [new Refusal("UnsupportedMediaType", ApiProblems.BodyField, "Send the body as JSON with 'Content-Type: application/json'.")],
                StatusCodes.Status415UnsupportedMediaType);
        }

        var status = exception.StatusCode is >= 400 and < 500 ? exception.StatusCode : StatusCodes.Status400BadRequest;
        // Only the start of the message names the parameter; a bounded input keeps the match cheap without a timeout.
        var message = exception.Message.Length > MessagePrefix ? exception.Message[..MessagePrefix] : exception.Message;
        var parameter = BoundParameter().Match(message);
        var refusal = !parameter.Success
            ? new Refusal("BadRequest", ApiProblems.BodyField, "The request could not be read; check it against the OpenAPI document.")
            : message.Contains("from body", StringComparison.Ordinal)
                ? new Refusal("BodyRequired", ApiProblems.BodyField, "A JSON body is required.")
                : new Refusal("ParameterNotReadable", parameter.Groups["name"].Value, $"{parameter.Groups["name"].Value} is missing or not in the documented format.");
        return ApiProblems.ToProblemDetails([refusal], status);
    }

    private const int MessagePrefix = 2_048;

    // No match timeout on purpose: a timeout throws RegexMatchTimeoutException when the first call's JIT runs long under
    // load, turning a clear 400 into a 500. The patterns are linear and the input is bounded.
    // Minimal APIs name the parameter as "<Type> <name>" in their binding messages, e.g. 'Failed to bind parameter "int id"'.
    [GeneratedRegex("parameter \"[^\"]*?(?<name>[A-Za-z_][A-Za-z0-9_]*)\"", RegexOptions.CultureInvariant)]
    private static partial Regex BoundParameter();
}
