namespace ServiceLedger.Functions.Hosting;

/// <summary>Answers whether storage can be reached right now (used by GET /api/health).</summary>
public interface IStorageProbe
{
    /// <summary>True when storage answered a cheap request within a short bound; false on any failure. Never throws for storage faults.</summary>
    Task<bool> CanReachStorageAsync(CancellationToken cancellationToken);
}
