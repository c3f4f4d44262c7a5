namespace ServiceLedger.Functions.Errors;

/// <summary>Registers and uses RFC 9457 problem details for every error the app answers.</summary>
public static class ErrorsServiceCollectionExtensions
{
    /// <summary>
    /// Problem details (with the trace id), <see cref="ProblemExceptionHandler"/>, and minimal APIs throwing on bad
    /// requests so that binding failures reach that handler and name the field instead of answering a bare 400.
    /// </summary>
    public static IServiceCollection AddApiProblems(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        return services;
    }

    /// <summary>The exception handler, problem details for bodiless error statuses (404, 405...), and the body bound.</summary>
    public static IApplicationBuilder UseApiProblems(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.UseExceptionHandler()
            .UseStatusCodePages()
            .UseMiddleware<RequestBodyLimit>();
    }
}
