namespace ServiceLedger.Domain.Disputes;

using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Parties;

/// <summary>A dispute as stored, with the opaque concurrency token a replacement must quote.</summary>
/// <param name="Dispute">The dispute.</param>
/// <param name="ConcurrencyToken">Opaque; changes on every write.</param>
public sealed record StoredDispute(Dispute Dispute, string ConcurrencyToken);

/// <summary>The outcome of a write: written, or a conflict carrying what is stored now (on a lost race or a taken subject).</summary>
public abstract record DisputeWrite
{
    private DisputeWrite()
    {
    }

    /// <summary>The write went through.</summary>
    /// <param name="Stored">The dispute as now stored.</param>
    public sealed record Written(StoredDispute Stored) : DisputeWrite;

    /// <summary>Someone else wrote first; nothing was written.</summary>
    /// <param name="Current">The dispute stored now under the same id.</param>
    public sealed record Conflict(StoredDispute Current) : DisputeWrite;

    /// <summary>Another unresolved dispute contests an overlapping subject; nothing was written.</summary>
    /// <param name="HolderId">The id of the dispute that holds the subject.</param>
    /// <param name="Holder">That dispute; null while it is being opened (its claim is stored, its row not yet).</param>
    public sealed record SubjectTaken(DisputeId HolderId, Dispute? Holder) : DisputeWrite;
}

/// <summary>Which disputes a list shows; null fields do not filter.</summary>
/// <param name="State">Only disputes in this state.</param>
/// <param name="Contract">Only this contract's disputes.</param>
/// <param name="Merchant">Only this merchant's disputes.</param>
/// <param name="Vendor">Only this vendor's disputes.</param>
public sealed record DisputeFilter(DisputeState? State, ContractId? Contract, MerchantId? Merchant, VendorId? Vendor);

/// <summary>
/// Where disputes are kept (port). Inserting a fee dispute also claims its subject: of two disputes opened at once on the
/// same line (or a line and its whole statement) one is stored and the other gets <see cref="DisputeWrite.SubjectTaken"/>,
/// so "one unresolved dispute per line" holds under concurrency, not just in a read-then-write check.
/// </summary>
public interface IDisputeStore
{
    /// <summary>Most disputes one list returns; finance narrows by state, contract or party beyond that.</summary>
    const int MaxListed = 5_000;

    /// <summary>The dispute, or null.</summary>
    Task<StoredDispute?> GetAsync(ContractId contract, DisputeId id, CancellationToken cancellationToken);

    /// <summary>Finds a dispute by id alone (a scan of keys; the API's paths carry only the id).</summary>
    Task<StoredDispute?> FindAsync(DisputeId id, CancellationToken cancellationToken);

    /// <summary>The contract's disputes on one statement, oldest first.</summary>
    Task<IReadOnlyList<Dispute>> ListOnStatementAsync(ContractId contract, string statementId, CancellationToken cancellationToken);

    /// <summary>Stores a new dispute and claims its subject; a conflict when the id exists, SubjectTaken when the subject is held.</summary>
    Task<DisputeWrite> InsertAsync(Dispute dispute, CancellationToken cancellationToken);

    /// <summary>Replaces the dispute if the stored token is still <paramref name="expectedToken"/>; releases its subject once resolved.</summary>
    Task<DisputeWrite> ReplaceAsync(Dispute dispute, string expectedToken, CancellationToken cancellationToken);

    /// <summary>Disputes matching <paramref name="filter"/> with their concurrency tokens, at most <see cref="MaxListed"/>, oldest first.</summary>
    Task<IReadOnlyList<StoredDispute>> ListAsync(DisputeFilter filter, CancellationToken cancellationToken);
}
