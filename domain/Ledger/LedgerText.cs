namespace ServiceLedger.Domain.Ledger;

/// <summary>
/// Character rules shared by ledger ids and keys. Every ledger id may end up in a Table PartitionKey or RowKey, which
/// forbid <c>/ \ # ?</c> and control characters; we go further and allow only ASCII letters, digits and <c>_ - . :</c>,
/// so ids also need no escaping in URLs, OData filters (no <c>'</c>) or the canonical form.
/// </summary>
internal static class LedgerText
{
    /// <summary>Characters an id segment (a party id, a name) may contain: no separators.</summary>
    internal static bool IsSegmentChar(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' or '-';

    /// <summary>Characters a composed key (idempotency key, reference value) may contain.</summary>
    internal static bool IsKeyChar(char c) => IsSegmentChar(c) || c is ':' or '.';

    /// <summary>Lower-case names of books, account kinds and reference kinds: <c>[a-z0-9-]</c>, starting with a letter.</summary>
    internal static bool IsName(string? value, int maxLength) =>
        !string.IsNullOrEmpty(value)
        && value.Length <= maxLength
        && value[0] is >= 'a' and <= 'z'
        && value.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');

    /// <summary>
    /// A party id segment such as <c>mer_01HX…</c>: the type prefix, then 1 or more segment characters, at most
    /// <see cref="LedgerLimits.MaxPartyIdLength"/> in all. The typed ids of domain/Ids can replace these strings later.
    /// </summary>
    internal static bool IsPartyId(string? value, string prefix) =>
        value is not null
        && value.Length > prefix.Length
        && value.Length <= LedgerLimits.MaxPartyIdLength
        && value.StartsWith(prefix, StringComparison.Ordinal)
        && value.All(IsSegmentChar);

    /// <summary>True when every character is a key character and the length is 1..maxLength.</summary>
    internal static bool IsKey(string? value, int maxLength) =>
        !string.IsNullOrEmpty(value) && value.Length <= maxLength && value.All(IsKeyChar);

    /// <summary>
    /// True when the text has no control characters (C0, DEL, C1) and no unpaired surrogates: such text encodes to UTF-8
    /// one way only, so it hashes stably (an unpaired surrogate would silently become U+FFFD).
    /// </summary>
    internal static bool IsPlainText(string value)
    {
        for (var index = 0; index < value.Length; index++)
        {
            var c = value[index];
            if (char.IsControl(c))
            {
                return false;
            }

            if (char.IsHighSurrogate(c))
            {
                if (index + 1 >= value.Length || !char.IsLowSurrogate(value[index + 1]))
                {
                    return false;
                }

                index++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Quotes a caller's text for a message, cut to a readable length.</summary>
    internal static string Quote(string? value) =>
        value is null ? "(none)" : value.Length <= 80 ? $"'{value}'" : $"'{value[..80]}…' ({value.Length} characters)";

    /// <summary>
    /// Orders (account, currency) pairs ordinally. Explicit because tuple comparison would use the culture's string order,
    /// and the order of report lines feeds a hash.
    /// </summary>
    internal static IComparer<(string Account, string Currency)> OrdinalPairs { get; } =
        Comparer<(string Account, string Currency)>.Create((left, right) =>
        {
            var byAccount = string.CompareOrdinal(left.Account, right.Account);
            return byAccount != 0 ? byAccount : string.CompareOrdinal(left.Currency, right.Currency);
        });
}
