using ServiceLedger.Domain.Ledger;

namespace ServiceLedger.Functions.Ledger;

/// <summary>
/// Repairs the balance projection of a book from its journal: after a crash between an append and its projection, the
/// projection trails the journal until the book's next append or this repair. Implemented by the store adapter.
/// </summary>
public interface ILedgerProjectionRepair
{
    /// <summary>Applies every entry of <paramref name="book"/> the projection has not applied yet; returns how many were applied.</summary>
    Task<long> CatchUpProjectionAsync(BookId book, CancellationToken cancellationToken);
}
