namespace ServiceLedger.Domain.Calendar;

/// <summary>How often a contract settles. The numbering starts at 1 so that <c>default(SettlementCycle)</c> names no cycle.</summary>
public enum SettlementCycle
{
    /// <summary>Once per calendar month; periods are written <c>2027-03</c>.</summary>
    Monthly = 1,

    /// <summary>Once per calendar quarter (Jan-Mar, Apr-Jun, Jul-Sep, Oct-Dec); periods are written <c>2027-Q1</c>.</summary>
    Quarterly = 2,
}
