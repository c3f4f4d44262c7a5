namespace ServiceLedger.Functions.Adapters.Stripe;

/// <summary>What kind of failure a Stripe call ended in; decides whether and how a caller may try again.</summary>
public enum StripeErrorKind
{
    /// <summary>402 <c>card_error</c>: valid parameters, but the card or payment was declined.</summary>
    Card,

    /// <summary>400/404 <c>invalid_request_error</c>: our parameters are wrong or the object does not exist.</summary>
    InvalidRequest,

    /// <summary>400 <c>idempotency_error</c>: the key was used before with other parameters (a bug in how we derive keys).</summary>
    Idempotency,

    /// <summary>401: the secret key is missing, wrong or revoked.</summary>
    Authentication,

    /// <summary>403: the key may not do this (a restricted key without the permission).</summary>
    Permission,

    /// <summary>409: the request collided with another using the same object or key; safe to retry.</summary>
    Conflict,

    /// <summary>429: too many requests or an object lock timeout; retry after <see cref="StripeException.RetryAfter"/>.</summary>
    RateLimit,

    /// <summary>5xx or an unexpected answer: a fault on Stripe's side.</summary>
    Api,

    /// <summary>No answer: connection failure or timeout.</summary>
    Connection,
}

/// <summary>
/// A Stripe call that failed after the allowed retries: the kind, the HTTP status, Stripe's error fields and the
/// <c>Request-Id</c> Stripe support asks for. The message never contains the secret key.
/// </summary>
public sealed class StripeException : Exception
{
    /// <summary>Creates the exception; see the properties for each argument.</summary>
    public StripeException(
        StripeErrorKind kind,
        int? status,
        string message,
        string? code = null,
        string? declineCode = null,
        string? param = null,
        string? requestId = null,
        TimeSpan? retryAfter = null,
        Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        Status = status;
        Code = code;
        DeclineCode = declineCode;
        Param = param;
        RequestId = requestId;
        RetryAfter = retryAfter;
    }

    /// <summary>The failure kind.</summary>
    public StripeErrorKind Kind { get; }

    /// <summary>The HTTP status; null when no answer came.</summary>
    public int? Status { get; }

    /// <summary>Stripe's short machine code (<c>resource_missing</c>, <c>rate_limit</c>, <c>lock_timeout</c>, …).</summary>
    public string? Code { get; }

    /// <summary>The issuer's reason for a card decline.</summary>
    public string? DeclineCode { get; }

    /// <summary>The parameter Stripe objected to (<c>expires_at</c>, <c>amount</c>, …).</summary>
    public string? Param { get; }

    /// <summary>Stripe's <c>Request-Id</c> of the last attempt.</summary>
    public string? RequestId { get; }

    /// <summary>How long Stripe asked us to wait (<c>Retry-After</c>) on 429.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>Creates a connection-kind exception (needed by the analyzers' standard constructors rule).</summary>
    public StripeException()
        : this(StripeErrorKind.Connection, null, "Stripe call failed.")
    {
    }

    /// <summary>Creates an API-kind exception with a message.</summary>
    public StripeException(string message)
        : this(StripeErrorKind.Api, null, message)
    {
    }

    /// <summary>Creates an API-kind exception with a message and a cause.</summary>
    public StripeException(string message, Exception innerException)
        : this(StripeErrorKind.Api, null, message, innerException: innerException)
    {
    }
}
