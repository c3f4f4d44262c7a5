using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ServiceLedger.Functions.Hosting;

/// <summary>
/// Wiring of the custom-handler host: the function registry, the invoker, and the POST /{FunctionName} endpoint the
/// Functions host calls for queue and timer triggers. Capabilities register their functions with
/// <see cref="AddQueueFunction{THandler}"/> and <see cref="AddTimerFunction{THandler}"/> in their own Add…() method.
/// </summary>
public static class FunctionHost
{
    /// <summary>Largest invocation body accepted: a queue message is at most 64 KiB, JSON escaping can grow it a few times.</summary>
    public const int MaxInvocationBodyBytes = 1024 * 1024;

    /// <summary>Header carrying the host's invocation id (azure.md 1.3), echoed into our logs.</summary>
    public const string InvocationIdHeader = "X-Azure-Functions-InvocationId";

    // The host reads "Outputs"/"Logs"/"ReturnValue" (azure.md 1.4): keep C# names as they are and write nulls.
    private static readonly JsonSerializerOptions ResponseJson = new() { PropertyNamingPolicy = null };

    /// <summary>
    /// Registers the registry, the invoker, <see cref="TriggerQueues"/>, <see cref="PoisonQueues"/> with its start-up warning,
    /// and for local runs the storage provisioning (Local:ProvisionStorage) and the trigger pump (Local:TriggerPump), which
    /// start only when their setting is "true".
    /// Idempotent: capabilities' AddQueueFunction/AddTimerFunction call it too.
    /// </summary>
    public static IServiceCollection AddFunctionHost(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<FunctionRegistry>();
        services.TryAddSingleton<FunctionInvoker>();
        services.TryAddSingleton<TriggerQueues>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(QueueTriggerSettings.FromHostJson);
        services.TryAddSingleton<LocalTriggerPump>();
        services.TryAddSingleton<PoisonQueues>();

        // Provisioning is registered first so that, when both run, the queues exist before the first poll.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, LocalStorageProvisioning>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, LocalTriggerPumpService>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PoisonQueueStartupReport>());
        return services;
    }

    /// <summary>Registers a queue-triggered function named <paramref name="functionName"/> reading <paramref name="queueName"/>.</summary>
    public static IServiceCollection AddQueueFunction<THandler>(this IServiceCollection services, string functionName, string queueName)
        where THandler : class, IQueueTriggerHandler
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<TriggerFunction>(new QueueTriggerFunction(functionName, queueName, typeof(THandler)));
        services.TryAddScoped<THandler>();
        return services.AddFunctionHost();
    }

    /// <summary>
    /// Registers a function named <paramref name="functionName"/> reading the poison queue of <paramref name="sourceQueue"/>
    /// (messages another function gave up on). Its handler must not throw for a message it can never handle: a poison queue
    /// has no poison queue, so the host retries a failed message there after each lease, without end.
    /// </summary>
    public static IServiceCollection AddPoisonQueueFunction<THandler>(this IServiceCollection services, string functionName, string sourceQueue)
        where THandler : class, IQueueTriggerHandler
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<TriggerFunction>(QueueTriggerFunction.ForPoisonQueueOf(functionName, sourceQueue, typeof(THandler)));
        services.TryAddScoped<THandler>();
        return services.AddFunctionHost();
    }

    /// <summary>Registers a timer-triggered function named <paramref name="functionName"/> on a six-field NCRONTAB <paramref name="schedule"/> (UTC).</summary>
    public static IServiceCollection AddTimerFunction<THandler>(this IServiceCollection services, string functionName, string schedule)
        where THandler : class, ITimerTriggerHandler
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<TriggerFunction>(new TimerTriggerFunction(functionName, schedule, typeof(THandler)));
        services.TryAddScoped<THandler>();
        return services.AddFunctionHost();
    }

    /// <summary>
    /// Maps POST /{functionName}: the Functions host's invocation of a queue or timer function (no /api prefix). 200 with
    /// {"Outputs":{},"Logs":[...],"ReturnValue":null} when the handler completed; 500 when it threw (the host then
    /// retries and finally poisons the message); 400 naming the field for a payload without the trigger value; 404 for
    /// an unknown function. Anonymous: only the host reaches it, on 127.0.0.1 (the public port serves /api only).
    /// Not in the OpenAPI document: it is the host's protocol, not our API.
    /// </summary>
    public static IEndpointRouteBuilder MapFunctionInvocations(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/{functionName}", InvokeAsync)
            .WithName("FunctionInvocation")
            .WithMetadata(new RequestSizeLimitAttribute(MaxInvocationBodyBytes))
            .AllowAnonymous()
            .ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> InvokeAsync(string functionName, HttpContext context, FunctionInvoker invoker)
    {
        FunctionInvocationRequest? request;
        try
        {
            request = await context.Request.ReadFromJsonAsync<FunctionInvocationRequest>(context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException exception)
        {
            return Invalid(exception.Path is { Length: > 1 } path ? path.TrimStart('$', '.') : "body", "The body is not the host's invocation JSON {\"Data\":{...},\"Metadata\":{...}}.");
        }
        catch (InvalidOperationException)
        {
            // ReadFromJsonAsync refuses a body that does not declare a JSON content type.
            return Invalid("Content-Type", "The invocation body must be sent as application/json.");
        }

        var invocationId = context.Request.Headers[InvocationIdHeader].FirstOrDefault() is { Length: > 0 } id
            ? id
            : context.TraceIdentifier;
        var result = await invoker.InvokeAsync(functionName, request ?? new FunctionInvocationRequest(null, null), invocationId, context.RequestAborted)
            .ConfigureAwait(false);
        return result.Status switch
        {
            FunctionInvocationStatus.Succeeded => TypedResults.Json(
                new FunctionInvocationResponse(new Dictionary<string, object?>(), result.Logs, null), ResponseJson),
            FunctionInvocationStatus.UnknownFunction => TypedResults.Problem(
                title: "Unknown function", detail: result.Detail, statusCode: StatusCodes.Status404NotFound),
            FunctionInvocationStatus.InvalidRequest => Invalid(result.Field!, result.Detail!),
            FunctionInvocationStatus.Failed => TypedResults.Problem(
                title: "Function failed", detail: result.Detail, statusCode: StatusCodes.Status500InternalServerError),
            _ => throw new InvalidOperationException($"Unhandled invocation status {result.Status}."),
        };
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ValidationProblem Invalid(string field, string detail) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [detail] }, detail, title: "Invalid invocation payload");
}

/// <summary>The documented response to an invocation (azure.md 1.4); property names are the host's.</summary>
/// <param name="Outputs">Output binding values by name; we have none (our functions write storage themselves).</param>
/// <param name="Logs">Lines the host adds to the invocation log.</param>
/// <param name="ReturnValue">The $return binding value; always null here.</param>
public sealed record FunctionInvocationResponse(IReadOnlyDictionary<string, object?> Outputs, IReadOnlyList<string> Logs, object? ReturnValue);
