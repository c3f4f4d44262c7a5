using ServiceLedger.Functions.Adapters.Storage;

namespace ServiceLedger.Functions.Adapters.Tables;

/// <summary>
/// The Table service answered with an error. For an entity-group transaction, <see cref="FailedOperationIndex"/> is
/// the 0-based position of the operation that failed (nothing in the batch was written).
/// </summary>
public sealed class TableStorageException : StorageRequestException
{
    /// <summary>Creates the exception.</summary>
    public TableStorageException(int status, string errorCode, string message, int? failedOperationIndex = null, Exception? innerException = null)
        : base(status, errorCode, message, innerException)
    {
        FailedOperationIndex = failedOperationIndex;
    }

    /// <summary>The 0-based index of the failed operation of a batch; null outside batches or when storage did not say.</summary>
    public int? FailedOperationIndex { get; }
}
