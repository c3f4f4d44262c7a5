using Microsoft.Extensions.Configuration;
using ServiceLedger.Functions.Configuration;
using ServiceLedger.Functions.Settlement;

namespace ServiceLedger.Api.Tests.Configuration;

/// <summary><see cref="AppSettings.SettlementOutcomeBatchMilliseconds"/>: read by <c>AddSettlement</c>, checked at start.</summary>
public sealed class SettlementOutcomeBatchingSettingTests
{
    [Theory]
    [InlineData(null, 20)]
    [InlineData("", 20)]
    [InlineData("0", 0)]
    [InlineData("75", 75)]
    [InlineData("1000", 1000)]
    public void The_setting_sets_the_window_and_its_absence_keeps_the_default(string? setting, int expectedMilliseconds)
    {
        var batching = Register(setting).BuildServiceProvider().GetRequiredService<SettlementOutcomeBatching>();

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), batching.Window);
    }

    [Theory]
    [InlineData("1001")]
    [InlineData("-5")]
    [InlineData("20ms")]
    [InlineData("2.5")]
    public void A_value_outside_0_to_1000_whole_milliseconds_is_refused_naming_the_setting(string setting)
    {
        var refused = Assert.Throws<InvalidOperationException>(() => Register(setting));

        Assert.Contains(AppSettings.SettlementOutcomeBatchMilliseconds, refused.Message, StringComparison.Ordinal);
        Assert.Contains($"'{setting}'", refused.Message, StringComparison.Ordinal);
    }

    private static ServiceCollection Register(string? setting)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [AppSettings.SettlementOutcomeBatchMilliseconds] = setting })
            .Build();
        var services = new ServiceCollection();
        services.AddSettlement(configuration);
        return services;
    }
}
