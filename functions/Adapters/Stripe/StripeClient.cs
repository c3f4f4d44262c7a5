using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace ServiceLedger.Functions.Adapters.Stripe;

/// <summary>
/// The Stripe API calls the product makes, over a plain <see cref="HttpClient"/> (Stripe.net cannot be restored here):
/// form-encoded bodies, the pinned <see cref="StripeOptions.ApiVersion"/>, the secret key as a bearer token (never
/// logged), an <see cref="StripeIdempotencyKey"/> on every POST, bounded retries (<see cref="StripeRetries"/>) and
/// failures as <see cref="StripeException"/>.
/// </summary>
public sealed class StripeClient
{
    /// <summary>Most pages <see cref="ListBalanceTransactionsAsync"/> reads (100 × 100 = 10,000 transactions, a busy month).</summary>
    public const int DefaultMaxPages = 100;

    /// <summary>The largest answer we read; Stripe objects and 100-item pages are far smaller.</summary>
    public const int MaxResponseBytes = 4 * 1024 * 1024;

    /// <summary>How Stripe's JSON maps to our models: snake_case names, unknown fields ignored.</summary>
    public static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        PropertyNameCaseInsensitive = false,
    };

    private readonly HttpClient _http;
    private readonly StripeOptions _options;
    private readonly StripeRetries _retries;
    private readonly ILogger<StripeClient> _logger;

    /// <summary>Creates the client; <paramref name="http"/> comes from IHttpClientFactory in the app.</summary>
    public StripeClient(HttpClient http, StripeOptions options, StripeRetries retries, ILogger<StripeClient> logger)
    {
        _http = http ?? throw new ArgumentNullException(nameof(http));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _retries = retries ?? throw new ArgumentNullException(nameof(retries));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary><c>POST /v1/checkout/sessions</c>.</summary>
    public Task<StripeCheckoutSession> CreateCheckoutSessionAsync(
        CheckoutSessionRequest request, StripeIdempotencyKey idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return PostAsync<StripeCheckoutSession>("v1/checkout/sessions", request.ToForm(), idempotencyKey, cancellationToken);
    }

    /// <summary><c>GET /v1/checkout/sessions/{id}</c>.</summary>
    public Task<StripeCheckoutSession> GetCheckoutSessionAsync(string sessionId, CancellationToken cancellationToken) =>
        GetAsync<StripeCheckoutSession>("v1/checkout/sessions/" + PathSegment(sessionId), null, cancellationToken);

    /// <summary><c>GET /v1/payment_intents/{id}</c>.</summary>
    public Task<StripePaymentIntent> GetPaymentIntentAsync(string paymentIntentId, CancellationToken cancellationToken) =>
        GetAsync<StripePaymentIntent>("v1/payment_intents/" + PathSegment(paymentIntentId), null, cancellationToken);

    /// <summary><c>POST /v1/refunds</c>.</summary>
    public Task<StripeRefund> CreateRefundAsync(RefundRequest request, StripeIdempotencyKey idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return PostAsync<StripeRefund>("v1/refunds", request.ToForm(), idempotencyKey, cancellationToken);
    }

    /// <summary>One page of <c>GET /v1/balance_transactions</c>, after <paramref name="startingAfter"/> (null: the first).</summary>
    public Task<StripeList<StripeBalanceTransaction>> GetBalanceTransactionPageAsync(
        BalanceTransactionQuery query, string? startingAfter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return GetAsync<StripeList<StripeBalanceTransaction>>("v1/balance_transactions", query.ToForm(startingAfter), cancellationToken);
    }

    /// <summary>
    /// Every balance transaction matching <paramref name="query"/>, page after page, newest first. Throws rather than
    /// return a silently truncated list when more than <paramref name="maxPages"/> pages exist.
    /// </summary>
    public async IAsyncEnumerable<StripeBalanceTransaction> ListBalanceTransactionsAsync(
        BalanceTransactionQuery query,
        int maxPages,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPages, 1);
        string? startingAfter = null;
        for (var page = 1; ; page++)
        {
            var list = await GetBalanceTransactionPageAsync(query, startingAfter, cancellationToken);
            foreach (var transaction in list.Data)
            {
                yield return transaction;
            }

            if (!list.HasMore)
            {
                yield break;
            }

            if (list.Data.Count == 0)
            {
                throw new StripeException(StripeErrorKind.Api, 200, "Stripe answered has_more with an empty page; the cursor cannot advance.");
            }

            if (page == maxPages)
            {
                throw new InvalidOperationException(
                    string.Create(CultureInfo.InvariantCulture, $"More than {maxPages} pages of balance transactions match; narrow the created range."));
            }

            startingAfter = list.Data[^1].Id;
        }
    }

    /// <summary><c>GET /v1/disputes/{id}</c>.</summary>
    public Task<StripeDispute> GetDisputeAsync(string disputeId, CancellationToken cancellationToken) =>
        GetAsync<StripeDispute>("v1/disputes/" + PathSegment(disputeId), null, cancellationToken);

    /// <summary><c>POST /v1/disputes/{id}</c> with <c>evidence[uncategorized_text]</c> and <c>submit</c>.</summary>
    public Task<StripeDispute> UpdateDisputeEvidenceAsync(
        string disputeId, DisputeEvidence evidence, StripeIdempotencyKey idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        return PostAsync<StripeDispute>("v1/disputes/" + PathSegment(disputeId), evidence.ToForm(), idempotencyKey, cancellationToken);
    }

    private Task<T> GetAsync<T>(string path, StripeForm? query, CancellationToken cancellationToken)
    {
        var encoded = query?.Encode();
        return SendAsync<T>(HttpMethod.Get, string.IsNullOrEmpty(encoded) ? path : path + "?" + encoded, null, null, cancellationToken);
    }

    private Task<T> PostAsync<T>(string path, StripeForm form, StripeIdempotencyKey idempotencyKey, CancellationToken cancellationToken)
    {
        if (idempotencyKey.IsDefault)
        {
            throw new ArgumentException("Every Stripe POST needs an idempotency key derived from its cause.", nameof(idempotencyKey));
        }

        return SendAsync<T>(HttpMethod.Post, path, form.Encode(), idempotencyKey.Value, cancellationToken);
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string pathAndQuery, string? body, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var uri = new Uri(_options.ApiBase, pathAndQuery);
        var path = uri.AbsolutePath;
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, uri);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.SecretKey);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            request.Headers.Add("Stripe-Version", StripeOptions.ApiVersion);
            if (idempotencyKey is not null)
            {
                request.Headers.Add("Idempotency-Key", idempotencyKey);
            }

            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded");
            }

            var started = Stopwatch.GetTimestamp();
            StripeException failure;
            bool retryable;
            try
            {
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                var text = await ReadBoundedAsync(response, cancellationToken);
                var requestId = Header(response, "Request-Id");
                Log(method, path, (int)response.StatusCode, started, requestId, idempotencyKey, attempt);
                if (response.IsSuccessStatusCode)
                {
                    return Deserialize<T>(text, (int)response.StatusCode, requestId);
                }

                failure = ToException(response, text, requestId);
                retryable = ShouldRetry(response, failure);
            }
            catch (Exception exception) when (exception is HttpRequestException
                || (exception is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                _logger.LogWarning(
                    "Stripe {Method} {Path} got no answer after {ElapsedMs} ms (idempotency key {IdempotencyKey}, attempt {Attempt}): {Error}",
                    method.Method, path, ElapsedMs(started), idempotencyKey, attempt + 1, exception.GetType().Name);
                failure = new StripeException(StripeErrorKind.Connection, null, $"Stripe {method.Method} {path} got no answer.", innerException: exception);
                retryable = true;
            }

            if (!retryable || attempt == StripeRetries.MaxRetries)
            {
                throw failure;
            }

            await _retries.WaitAsync(attempt + 1, failure.RetryAfter, cancellationToken);
        }
    }

    private static bool ShouldRetry(HttpResponseMessage response, StripeException failure)
    {
        // Stripe's own verdict wins when it gives one (stripe-node does the same).
        if (Header(response, "Stripe-Should-Retry") is { } verdict && bool.TryParse(verdict, out var should))
        {
            return should && (failure.RetryAfter is null || failure.RetryAfter <= StripeRetries.MaxRetryAfter);
        }

        return failure.Kind switch
        {
            StripeErrorKind.Conflict or StripeErrorKind.Api => true,
            StripeErrorKind.RateLimit => failure.RetryAfter is null || failure.RetryAfter <= StripeRetries.MaxRetryAfter,
            _ => false,
        };
    }

    private static StripeException ToException(HttpResponseMessage response, string text, string? requestId)
    {
        var status = (int)response.StatusCode;
        string? type = null, code = null, declineCode = null, param = null, message = null;
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                type = Text(error, "type");
                code = Text(error, "code");
                declineCode = Text(error, "decline_code");
                param = Text(error, "param");
                message = Text(error, "message");
            }
        }
        catch (JsonException)
        {
            // A proxy's HTML error page or an empty body: the status alone decides the kind.
        }

        var kind = status switch
        {
            429 => StripeErrorKind.RateLimit,
            400 when code == "rate_limit" => StripeErrorKind.RateLimit,
            400 or 404 when type == "idempotency_error" => StripeErrorKind.Idempotency,
            400 or 404 => StripeErrorKind.InvalidRequest,
            401 => StripeErrorKind.Authentication,
            402 => StripeErrorKind.Card,
            403 => StripeErrorKind.Permission,
            409 => StripeErrorKind.Conflict,
            _ => StripeErrorKind.Api,
        };
        var retryAfter = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            _ => (TimeSpan?)null,
        };
        var summary = string.Create(
            CultureInfo.InvariantCulture,
            $"Stripe answered {status} ({type ?? "no error type"}{(code is null ? string.Empty : ", " + code)}{(param is null ? string.Empty : ", param " + param)}): {message ?? "no message"} (request id {requestId ?? "none"})");
        return new StripeException(kind, status, summary, code, declineCode, param, requestId, retryAfter);
    }

    private static T Deserialize<T>(string text, int status, string? requestId)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(text, SerializerOptions)
                ?? throw new StripeException(StripeErrorKind.Api, status, $"Stripe answered {status} with an empty body (request id {requestId}).");
        }
        catch (JsonException exception)
        {
            throw new StripeException(
                StripeErrorKind.Api, status, $"Stripe answered {status} with a body we cannot read as {typeof(T).Name} (request id {requestId}).",
                requestId: requestId, innerException: exception);
        }
    }

    private static async Task<string> ReadBoundedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > MaxResponseBytes)
        {
            throw new StripeException(StripeErrorKind.Api, (int)response.StatusCode, $"Stripe's answer is larger than {MaxResponseBytes} bytes.");
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxResponseBytes)
            {
                throw new StripeException(StripeErrorKind.Api, (int)response.StatusCode, $"Stripe's answer is larger than {MaxResponseBytes} bytes.");
            }

            buffer.Write(chunk, 0, read);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private void Log(HttpMethod method, string path, int status, long started, string? requestId, string? idempotencyKey, int attempt)
    {
        var level = status >= 500 || status == (int)HttpStatusCode.TooManyRequests ? LogLevel.Warning : LogLevel.Information;
        _logger.Log(
            level,
            "Stripe {Method} {Path} answered {Status} in {ElapsedMs} ms (request id {RequestId}, idempotency key {IdempotencyKey}, attempt {Attempt})",
            method.Method, path, status, ElapsedMs(started), requestId, idempotencyKey, attempt + 1);
    }

    private static long ElapsedMs(long started) => (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string PathSegment(string id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return Uri.EscapeDataString(id);
    }
}
