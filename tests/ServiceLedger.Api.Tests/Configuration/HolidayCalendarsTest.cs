using NodaTime;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Functions.Configuration;
using ServiceLedger.TestSupport;

namespace ServiceLedger.Api.Tests.Configuration;

public sealed class HolidayCalendarsTest
{
    [Fact]
    public void Every_shipped_holiday_file_loads_and_mainland_china_covers_2026()
    {
        var calendar = HolidayCalendars.Load(HolidayCalendars.MainlandChina);

        Assert.Equal("CN", calendar.Jurisdiction);
        Assert.Contains(2026, calendar.Years);
        Assert.Equal(new LocalDate(2026, 10, 9), calendar.AddWorkingDays(new LocalDate(2026, 9, 30), 2, "signedOn").Value);
    }

    [Fact]
    public void Every_embedded_schedule_is_named_for_its_jurisdiction_and_year()
    {
        var names = typeof(HolidayCalendars).Assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(HolidayCalendars.ResourcePrefix, StringComparison.Ordinal))
            .ToArray();

        Assert.NotEmpty(names);
        Assert.All(names, name => Assert.Matches(@"^Holidays/[A-Z]{2}-\d{4}\.txt$", name));
    }

    [Fact]
    public void A_jurisdiction_without_files_has_no_years_and_refuses_every_date()
    {
        var calendar = HolidayCalendars.Load("ZZ");

        Assert.Empty(calendar.Years);
        Assert.Equal(CalendarRule.HolidayScheduleMissing, calendar.IsWorkingDay(new LocalDate(2026, 1, 5), "day").Refusals[0].Code);
    }

    [Fact]
    public void Registration_provides_the_calendar_and_keeps_a_clock_a_test_registered_first()
    {
        var clock = new FakeClock();
        var services = new ServiceCollection();
        services.AddSingleton<IClock>(clock);
        services.AddSingleton<TimeProvider>(clock);

        services.AddClock().AddWorkingDayCalendar();
        using var provider = services.BuildServiceProvider();

        Assert.Same(clock, provider.GetRequiredService<IClock>());
        Assert.Same(clock, provider.GetRequiredService<TimeProvider>());
        Assert.Equal("CN", provider.GetRequiredService<IWorkingDayCalendar>().Jurisdiction);
    }

    [Fact]
    public void Without_a_test_clock_the_system_clocks_are_registered()
    {
        using var provider = new ServiceCollection().AddClock().BuildServiceProvider();

        Assert.Same(SystemClock.Instance, provider.GetRequiredService<IClock>());
        Assert.Same(TimeProvider.System, provider.GetRequiredService<TimeProvider>());
    }
}
