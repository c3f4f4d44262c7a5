using ServiceLedger.Functions.Hosting;

namespace ServiceLedger.Api.Tests.Hosting;

/// <summary>Registration rules: names, queues and schedules the Functions host would refuse are refused at startup.</summary>
public sealed class TriggerFunctionTests
{
    [Theory]
    [InlineData("0 */5 * * * *", "2026-11-02T01:02:03Z", "2026-11-02T01:05:00Z")]
    [InlineData("0 30 2 * * *", "2026-11-02T02:30:00Z", "2026-11-03T02:30:00Z")]
    [InlineData("0 0 1 1 * *", "2026-11-02T00:00:00Z", "2026-12-01T01:00:00Z")]
    public void Timer_schedule_is_six_field_ncrontab_in_utc(string schedule, string after, string expected)
    {
        var function = new TimerTriggerFunction("T", schedule, typeof(object));

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            function.NextOccurrenceAfter(DateTimeOffset.Parse(after, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("*/5 * * * *")]
    [InlineData("00:05:00")]
    [InlineData("0 61 * * * *")]
    [InlineData("")]
    public void Timer_schedule_that_is_not_six_field_ncrontab_is_refused(string schedule) =>
        Assert.Throws<ArgumentException>(() => new TimerTriggerFunction("T", schedule, typeof(object)));

    [Theory]
    [InlineData("billing-runs-poison")]
    [InlineData("Billing")]
    [InlineData("a-queue-name-that-is-fifty-seven-characters-long-xxxxxxxx")]
    public void Trigger_queue_without_room_for_a_poison_twin_or_invalid_is_refused(string queue) =>
        Assert.Throws<ArgumentException>(() => new QueueTriggerFunction("F", queue, typeof(object)));

    [Fact]
    public void Trigger_queue_of_56_characters_is_accepted()
    {
        var queue = new string('q', QueueTriggerFunction.MaxQueueNameLength);

        Assert.Equal(queue, new QueueTriggerFunction("F", queue, typeof(object)).QueueName);
    }

    [Fact]
    public void A_poison_queue_function_reads_the_poison_queue_of_an_ordinary_queue_and_has_none_itself()
    {
        var function = QueueTriggerFunction.ForPoisonQueueOf("SettlePoison", "billing-runs", typeof(object));
        var ordinary = new QueueTriggerFunction("Settle", "billing-runs", typeof(object));

        Assert.Equal("billing-runs-poison", function.QueueName);
        Assert.Equal("billing-runs", function.PoisonOf);
        Assert.True(function.ReadsPoisonQueue);
        Assert.Null(function.PoisonQueueName);
        Assert.Equal("billing-runs-poison", function.WatchedPoisonQueue);
        Assert.False(ordinary.ReadsPoisonQueue);
        Assert.Equal("billing-runs-poison", ordinary.PoisonQueueName);
        Assert.Equal("billing-runs-poison", ordinary.WatchedPoisonQueue);
    }

    [Theory]
    [InlineData("billing-runs-poison")]
    [InlineData("Billing")]
    [InlineData("a-queue-name-that-is-fifty-seven-characters-long-xxxxxxxx")]
    public void A_poison_queue_function_is_only_for_a_queue_that_could_be_an_ordinary_trigger_queue(string source) =>
        Assert.Throws<ArgumentException>(() => QueueTriggerFunction.ForPoisonQueueOf("F", source, typeof(object)));

    [Fact]
    public void Registry_lists_the_poison_queue_of_every_consumed_queue_once()
    {
        var registry = new FunctionRegistry(
        [
            new QueueTriggerFunction("Settle", "settle", typeof(object)),
            QueueTriggerFunction.ForPoisonQueueOf("SettlePoison", "settle", typeof(object)),
            new QueueTriggerFunction("Apply", "events", typeof(object)),
            new TimerTriggerFunction("Nightly", "0 0 0 * * *", typeof(object)),
        ]);

        Assert.Equal(["events-poison", "settle-poison"], registry.PoisonQueues);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1Function")]
    [InlineData("api/health")]
    [InlineData("With space")]
    public void Function_name_the_host_cannot_use_as_a_folder_is_refused(string name) =>
        Assert.Throws<ArgumentException>(() => new QueueTriggerFunction(name, "queue", typeof(object)));

    [Fact]
    public void Registry_refuses_two_functions_of_one_name_in_any_case()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new FunctionRegistry(
        [
            new QueueTriggerFunction("ApplyEvent", "events-a", typeof(object)),
            new TimerTriggerFunction("applyevent", "0 0 * * * *", typeof(object)),
        ]));

        Assert.Contains("applyevent", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Registry_refuses_two_functions_on_one_queue()
    {
        Assert.Throws<InvalidOperationException>(() => new FunctionRegistry(
        [
            new QueueTriggerFunction("A", "events", typeof(object)),
            new QueueTriggerFunction("B", "events", typeof(object)),
        ]));
    }

    [Fact]
    public void Registry_finds_functions_by_name_in_any_case_and_lists_them_by_kind()
    {
        var registry = new FunctionRegistry(
        [
            new TimerTriggerFunction("Nightly", "0 0 0 * * *", typeof(object)),
            new QueueTriggerFunction("Apply", "events", typeof(object)),
        ]);

        Assert.Equal("Apply", registry.Find("APPLY")?.Name);
        Assert.Null(registry.Find("Other"));
        Assert.Equal(["Apply", "Nightly"], registry.Functions.Select(f => f.Name));
        Assert.Equal("events", Assert.Single(registry.QueueFunctions).QueueName);
        Assert.Equal("Nightly", Assert.Single(registry.TimerFunctions).Name);
    }
}
