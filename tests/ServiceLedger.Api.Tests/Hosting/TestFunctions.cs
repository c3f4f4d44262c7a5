using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using ServiceLedger.Functions.Hosting;
using ServiceLedger.TestSupport.Hosting;

namespace ServiceLedger.Api.Tests.Hosting;

/// <summary>The real app with three test functions registered the way capabilities register theirs.</summary>
public sealed class AppWithTestFunctions : WebApplicationFactory<Program>
{
    public const string Recorded = "RecordMessage";
    public const string Failing = "FailMessage";
    public const string Timer = "EveryFiveMinutes";

    public TriggerRecorder Recorder => Services.GetRequiredService<TriggerRecorder>();

    protected override void ConfigureWebHost(IWebHostBuilder builder) =>
        builder.ConfigureTestServices(services => services
            .AddSingleton<TriggerRecorder>()
            .AddQueueFunction<RecordingQueueHandler>(Recorded, "test-recorded")
            .AddQueueFunction<FailingQueueHandler>(Failing, "test-failing")
            .AddTimerFunction<RecordingTimerHandler>(Timer, "0 */5 * * * *"));
}
