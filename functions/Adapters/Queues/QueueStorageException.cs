using ServiceLedger.Functions.Adapters.Storage;

namespace ServiceLedger.Functions.Adapters.Queues;

/// <summary>The Queue service answered with an error (e.g. 404 MessageNotFound for a stale pop receipt).</summary>
public sealed class QueueStorageException : StorageRequestException
{
    /// <summary>Creates the exception.</summary>
    public QueueStorageException(int status, string errorCode, string message, Exception? innerException = null)
        : base(status, errorCode, message, innerException)
    {
    }
}
