namespace ServiceLedger.Functions.Adapters.Storage;

/// <summary>
/// Storage answered a request with an error status: the status, the service's error code (e.g. EntityAlreadyExists,
/// UpdateConditionNotSatisfied, MessageNotFound) and a message naming the operation. 404, 409 and 412 are the answers
/// callers usually handle; the <c>Is…</c> properties make those filters read well:
/// <c>catch (TableStorageException e) when (e.IsConflict)</c>.
/// </summary>
public abstract class StorageRequestException : Exception
{
    /// <summary>Creates the exception.</summary>
    protected StorageRequestException(int status, string errorCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Status = status;
        ErrorCode = errorCode;
    }

    /// <summary>The HTTP status storage answered (for a failed batch operation: that operation's status).</summary>
    public int Status { get; }

    /// <summary>The storage error code, or "Unknown" when storage sent none.</summary>
    public string ErrorCode { get; }

    /// <summary>404: the table, queue, entity or message does not exist (or the pop receipt is stale).</summary>
    public bool IsNotFound => Status == 404;

    /// <summary>409: it already exists (EntityAlreadyExists, TableAlreadyExists, QueueAlreadyExists...).</summary>
    public bool IsConflict => Status == 409;

    /// <summary>412: the If-Match ETag is stale (UpdateConditionNotSatisfied).</summary>
    public bool IsPreconditionFailed => Status == 412;
}
