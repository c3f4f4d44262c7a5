using Azure;

namespace ServiceLedger.Functions.Adapters.Tables;

/// <summary>What one operation of an entity-group transaction does.</summary>
public enum TableBatchOperationKind
{
    /// <summary>Insert; fails the batch with 409 EntityAlreadyExists when the entity exists.</summary>
    Insert = 1,

    /// <summary>Insert or replace (PUT without If-Match).</summary>
    Upsert,

    /// <summary>Replace with If-Match; fails the batch with 412 UpdateConditionNotSatisfied on a stale ETag.</summary>
    Replace,

    /// <summary>Merge with If-Match.</summary>
    Merge,

    /// <summary>Delete with If-Match.</summary>
    Delete,
}

/// <summary>
/// One operation of an entity-group transaction. Build with <see cref="Insert"/>, <see cref="Upsert"/>,
/// <see cref="Replace"/>, <see cref="Merge"/> or <see cref="Delete"/>.
/// </summary>
public sealed class TableBatchOperation
{
    private TableBatchOperation(TableBatchOperationKind kind, TableEntity entity, ETag ifMatch)
    {
        Kind = kind;
        Entity = entity;
        IfMatch = ifMatch;
    }

    /// <summary>What the operation does.</summary>
    public TableBatchOperationKind Kind { get; }

    /// <summary>The entity written (for <see cref="TableBatchOperationKind.Delete"/> only its keys matter).</summary>
    public TableEntity Entity { get; }

    /// <summary>The ETag sent in If-Match (<see cref="ETag.All"/> for unconditional); <c>default</c> for insert and upsert.</summary>
    public ETag IfMatch { get; }

    /// <summary>Inserts <paramref name="entity"/>.</summary>
    public static TableBatchOperation Insert(TableEntity entity) =>
        new(TableBatchOperationKind.Insert, entity ?? throw new ArgumentNullException(nameof(entity)), default);

    /// <summary>Inserts or replaces <paramref name="entity"/>.</summary>
    public static TableBatchOperation Upsert(TableEntity entity) =>
        new(TableBatchOperationKind.Upsert, entity ?? throw new ArgumentNullException(nameof(entity)), default);

    /// <summary>Replaces <paramref name="entity"/> if its stored ETag is <paramref name="ifMatch"/>.</summary>
    public static TableBatchOperation Replace(TableEntity entity, ETag ifMatch) =>
        new(TableBatchOperationKind.Replace, entity ?? throw new ArgumentNullException(nameof(entity)), RequireETag(ifMatch));

    /// <summary>Merges <paramref name="entity"/>'s properties into the stored one if its ETag is <paramref name="ifMatch"/>.</summary>
    public static TableBatchOperation Merge(TableEntity entity, ETag ifMatch) =>
        new(TableBatchOperationKind.Merge, entity ?? throw new ArgumentNullException(nameof(entity)), RequireETag(ifMatch));

    /// <summary>Deletes the entity with these keys if its ETag is <paramref name="ifMatch"/>.</summary>
    public static TableBatchOperation Delete(string partitionKey, string rowKey, ETag ifMatch) =>
        new(TableBatchOperationKind.Delete, new TableEntity(partitionKey, rowKey), RequireETag(ifMatch));

    /// <summary>Describes the operation (for messages).</summary>
    public override string ToString() => $"{Kind} {Entity}";

    internal static ETag RequireETag(ETag ifMatch) => ifMatch == default
        ? throw new ArgumentException("If-Match needs an ETag (ETag.All for an unconditional write).", nameof(ifMatch))
        : ifMatch;
}

/// <summary>
/// Why an entity-group transaction was refused: the 0-based index of the failing operation (null if storage did not
/// say), its status and error code. Nothing in the batch was written.
/// </summary>
/// <param name="OperationIndex">0-based index of the failed operation in the submitted list.</param>
/// <param name="Status">The failed operation's HTTP status (409, 412, 404, 400...).</param>
/// <param name="ErrorCode">The storage error code, e.g. EntityAlreadyExists or UpdateConditionNotSatisfied.</param>
/// <param name="Message">The service's message.</param>
public sealed record TableBatchFailure(int? OperationIndex, int Status, string ErrorCode, string Message)
{
    /// <summary>409: an inserted entity exists already.</summary>
    public bool IsConflict => Status == 409;

    /// <summary>412: an If-Match ETag was stale.</summary>
    public bool IsPreconditionFailed => Status == 412;

    /// <summary>404: an updated or deleted entity does not exist.</summary>
    public bool IsNotFound => Status == 404;
}

/// <summary>
/// The outcome of an entity-group transaction: either every operation was applied (<see cref="ETags"/> holds the new
/// ETag of each, in order; <c>default</c> for deletes), or none was (<see cref="Failure"/> says which one failed and
/// why). A refusal is a value here, because 409 and 412 are the normal answers of optimistic concurrency.
/// </summary>
public sealed class TableBatchResult
{
    private TableBatchResult(IReadOnlyList<ETag> eTags, TableBatchFailure? failure)
    {
        ETags = eTags;
        Failure = failure;
    }

    /// <summary>True when every operation was applied.</summary>
    public bool Succeeded => Failure is null;

    /// <summary>The new ETag of each operation's entity, in submission order (empty when the batch failed).</summary>
    public IReadOnlyList<ETag> ETags { get; }

    /// <summary>Why the batch was refused; null on success.</summary>
    public TableBatchFailure? Failure { get; }

    /// <summary>A successful result.</summary>
    public static TableBatchResult Success(IReadOnlyList<ETag> eTags) => new(eTags ?? throw new ArgumentNullException(nameof(eTags)), null);

    /// <summary>A refused result.</summary>
    public static TableBatchResult Refused(TableBatchFailure failure) => new([], failure ?? throw new ArgumentNullException(nameof(failure)));

    /// <summary>Throws a <see cref="TableStorageException"/> carrying the failure when the batch was refused.</summary>
    public TableBatchResult EnsureSucceeded() => Failure is null
        ? this
        : throw new TableStorageException(
            Failure.Status,
            Failure.ErrorCode,
            $"The entity-group transaction was refused at operation {Failure.OperationIndex?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(unknown)"}: " +
            $"{Failure.Status} {Failure.ErrorCode}: {Failure.Message}",
            Failure.OperationIndex);
}
