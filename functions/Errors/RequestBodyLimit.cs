using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using ServiceLedger.Domain;

namespace ServiceLedger.Functions.Errors;

/// <summary>
/// A bound on every request body: <see cref="DefaultMaxBytes"/> unless the endpoint declares its own
/// (<c>.WithMetadata(new RequestSizeLimitAttribute(bytes))</c> or any <see cref="IRequestSizeLimitMetadata"/>).
/// A declared Content-Length over the bound answers 413 at once; a chunked body is cut off by the server (Kestrel
/// enforces the same bound through <see cref="IHttpMaxRequestBodySizeFeature"/>) and answers 413 through
/// <see cref="ProblemExceptionHandler"/>.
/// </summary>
public sealed class RequestBodyLimit(RequestDelegate next, IProblemDetailsService problems)
{
    /// <summary>The default bound on a request body: 1 MiB, far above any JSON command the API takes.</summary>
    public const long DefaultMaxBytes = 1024 * 1024;

    /// <summary>The refusal code of a body over the bound.</summary>
    public const string BodyTooLargeCode = "BodyTooLarge";

    /// <summary>Checks the declared length, then lets the request through with the server's bound set.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? DefaultMaxBytes;
        if (context.Request.ContentLength > limit)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = ApiProblems.ToProblemDetails(
                    [new Refusal(BodyTooLargeCode, ApiProblems.BodyField, $"The request body is {context.Request.ContentLength} bytes; this endpoint accepts at most {limit}.")],
                    StatusCodes.Status413PayloadTooLarge),
            });
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } server)
        {
            server.MaxRequestBodySize = limit;
        }

        await next(context);
    }
}
