using ServiceLedger.Functions.Adapters.Storage;

namespace ServiceLedger.Functions.Adapters.Queues;

/// <summary>The Queue service answered with an error (e.g. 404 QueueNotFound, 400 PopReceiptMismatch).</summary>
public sealed class QueueStorageException : StorageRequestException
{
    /// <summary>Creates the exception.</summary>
    public QueueStorageException(int status, string errorCode, string message, Exception? innerException = null)
        : base(status, errorCode, message, innerException)
    {
    }

    /// <summary>
    /// The message can no longer be deleted or updated with this pop receipt: it was received again, updated, deleted
    /// or expired (400 PopReceiptMismatch or 404 MessageNotFound). Another receiver owns it now; do not retry.
    /// </summary>
    public bool IsStalePopReceipt => ErrorCode is "PopReceiptMismatch" or "MessageNotFound";
}
