namespace ServiceLedger.Functions.Settlement;

using System.Globalization;
using NodaTime;
using NodaTime.Text;
using ServiceLedger.Domain.Calendar;

/// <summary>
/// The id of a settlement run, derived from its period and the instant it started: <c>run_2027-03_20270401T003000Z</c>.
/// Two starts in the same second for the same period name the same run (the second finds the first); a re-run later is a
/// new run, and the statement's ledger key (<c>statement:{contract}:{period}:v{n}</c>) keeps it from settling anything twice.
/// Equality is ordinal on the text; <c>default</c> names no run.
/// </summary>
public readonly record struct SettlementRunId
{
    /// <summary>The prefix of every run id.</summary>
    public const string Prefix = "run_";

    private static readonly InstantPattern StartPattern = InstantPattern.CreateWithInvariantCulture("uuuuMMdd'T'HHmmss'Z'");

    private SettlementRunId(string value, SettlementPeriod period)
    {
        Value = value;
        Period = period;
    }

    /// <summary>The id text.</summary>
    public string Value { get; }

    /// <summary>The period the run settles.</summary>
    public SettlementPeriod Period { get; }

    /// <summary>The run of <paramref name="period"/> started at <paramref name="startedAt"/> (truncated to the second).</summary>
    public static SettlementRunId For(SettlementPeriod period, Instant startedAt) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{Prefix}{period}_{StartPattern.Format(startedAt)}"), period);

    /// <summary>Parses an id made by <see cref="For"/>; false for anything else (a path value we did not issue).</summary>
    public static bool TryParse(string? text, out SettlementRunId id)
    {
        id = default;
        if (text is not { Length: 28 } || !text.StartsWith(Prefix, StringComparison.Ordinal)
            || !SettlementPeriod.TryParse(text.Substring(Prefix.Length, 7), out var period)
            || text[Prefix.Length + 7] != '_'
            || !StartPattern.Parse(text[(Prefix.Length + 8)..]).Success)
        {
            return false;
        }

        id = new SettlementRunId(text, period);
        return true;
    }

    /// <summary>The id text.</summary>
    public override string ToString() => Value ?? "(no run)";
}
