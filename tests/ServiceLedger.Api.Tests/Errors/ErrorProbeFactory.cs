using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using ServiceLedger.TestSupport.Api;

namespace ServiceLedger.Api.Tests.Errors;

/// <summary>
/// The app plus a route that fails with a secret-bearing exception (behind every endpoint, inside the app's own
/// exception handling), and the error log lines the app wrote.
/// </summary>
public sealed class ErrorProbeFactory : ApiFactory
{
    /// <summary>The path that throws.</summary>
    public const string FailingPath = "/api/test/fail";

    /// <summary>Text the exception carries that must never reach a response.</summary>
    public const string Secret = "AccountKey=c2VjcmV0LWtleQ==";

    /// <summary>Error-level log lines written by the app, with their exceptions.</summary>
    public ConcurrentQueue<(string Message, Exception? Exception)> Errors { get; } = new();

    /// <inheritdoc />
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(logging => logging.AddProvider(new ErrorCapture(Errors)));
        builder.ConfigureServices(services => services.AddTransient<IStartupFilter, FailingRoute>());
    }

    private sealed class FailingRoute : IStartupFilter
    {
        // After the app's pipeline: reached only when no endpoint matched, and still inside UseApiProblems.
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Use((context, nextMiddleware) => context.Request.Path == FailingPath
                ? throw new InvalidOperationException($"Storage refused the request with {Secret}")
                : nextMiddleware(context));
        };
    }

    private sealed class ErrorCapture(ConcurrentQueue<(string, Exception?)> sink) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(sink);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<(string, Exception?)> sink) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                {
                    sink.Enqueue((formatter(state, exception), exception));
                }
            }
        }
    }
}
