namespace ServiceLedger.TestSupport.Azurite;

/// <summary>Unique table and queue names, so that tests sharing one Azurite never see each other's data.</summary>
public static class StorageTestNames
{
    /// <summary>A table name: the letters of <paramref name="prefix"/> (at most 20) and 32 hex digits.</summary>
    public static string Table(string prefix)
    {
        var letters = new string(prefix.Where(char.IsAsciiLetter).Take(20).ToArray());
        return (letters.Length == 0 ? "t" : letters) + Guid.NewGuid().ToString("N");
    }

    /// <summary>A queue name: the lower-case letters of <paramref name="prefix"/> (at most 20), '-', 32 hex digits.</summary>
    public static string Queue(string prefix)
    {
        var letters = new string(prefix.ToLowerInvariant().Where(char.IsAsciiLetterLower).Take(20).ToArray());
        return (letters.Length == 0 ? "q" : letters) + "-" + Guid.NewGuid().ToString("N");
    }
}
