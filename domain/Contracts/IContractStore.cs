namespace ServiceLedger.Domain.Contracts;

/// <summary>
/// A contract as stored, with the opaque concurrency token (an ETag) that a replacement must quote: if someone else wrote
/// the contract in between, the replacement fails with <see cref="ContractWrite.Conflict"/> carrying their version.
/// </summary>
/// <param name="Contract">The contract.</param>
/// <param name="ConcurrencyToken">Opaque; changes on every write.</param>
public sealed record StoredContract(Contract Contract, string ConcurrencyToken);

/// <summary>The outcome of a write: written (with the new token), or a conflict carrying the version that is stored now.</summary>
public abstract record ContractWrite
{
    private ContractWrite()
    {
    }

    /// <summary>The write went through.</summary>
    /// <param name="Stored">The contract as now stored.</param>
    public sealed record Written(StoredContract Stored) : ContractWrite;

    /// <summary>Someone else wrote first (or the contract already existed on insert); nothing was written.</summary>
    /// <param name="Current">The version stored now.</param>
    public sealed record Conflict(StoredContract Current) : ContractWrite;
}

/// <summary>Which contracts a list shows; null fields do not filter.</summary>
/// <param name="Merchant">Only this merchant's contracts.</param>
/// <param name="Vendor">Only this vendor's contracts.</param>
/// <param name="Status">Only contracts in this state.</param>
public sealed record ContractFilter(Parties.MerchantId? Merchant, Parties.VendorId? Vendor, ContractStatus? Status);

/// <summary>One page of contracts and the token for the next page (null on the last).</summary>
/// <param name="Contracts">The contracts on this page.</param>
/// <param name="ContinuationToken">Opaque; pass it back for the next page.</param>
public sealed record ContractPage(IReadOnlyList<StoredContract> Contracts, string? ContinuationToken);

/// <summary>
/// Where contracts are kept (port; the Table adapter implements it). Every write is conditional: inserts fail when the
/// id exists, replacements when the stored token differs — that is how two people acting at once get one winner.
/// </summary>
public interface IContractStore
{
    /// <summary>Most contracts on one page.</summary>
    const int MaxPageSize = 100;

    /// <summary>The contract, or null when there is none with this id.</summary>
    Task<StoredContract?> GetAsync(ContractId id, CancellationToken cancellationToken);

    /// <summary>Stores a new contract; a conflict when the id is taken.</summary>
    Task<ContractWrite> InsertAsync(Contract contract, CancellationToken cancellationToken);

    /// <summary>Replaces the contract if the stored token is still <paramref name="expectedToken"/>; a conflict otherwise.</summary>
    Task<ContractWrite> ReplaceAsync(Contract contract, string expectedToken, CancellationToken cancellationToken);

    /// <summary>One page of contracts matching <paramref name="filter"/>, 1 to <see cref="MaxPageSize"/> a page.</summary>
    Task<ContractPage> ListAsync(ContractFilter filter, int pageSize, string? continuationToken, CancellationToken cancellationToken);
}

/// <summary>Whether a vendor may be party to a new contract or amendment on a date (port; the parties capability answers).</summary>
public interface IVendorEligibility
{
    /// <summary>Null when eligible; otherwise a refusal saying why (not certified, a certification expired, unknown vendor).</summary>
    Task<Refusal?> CheckAsync(Parties.VendorId vendor, NodaTime.LocalDate onDate, CancellationToken cancellationToken);
}

/// <summary>The accounting periods that are closed now (port; the ledger store answers).</summary>
public interface IClosedPeriods
{
    /// <summary>The closed periods as of now.</summary>
    Task<Ledger.AccountingPeriods> ReadAsync(CancellationToken cancellationToken);
}
