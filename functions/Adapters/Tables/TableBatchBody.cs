using System.Buffers;
using System.Text;
using System.Text.Json;

namespace ServiceLedger.Functions.Adapters.Tables;

/// <summary>
/// Builds the multipart/mixed body of an entity-group transaction (azure.md 2.6): one batch part holding one changeset
/// whose parts are the operations as embedded HTTP requests, every line ending in CRLF (Azurite mis-parsed LF-only
/// bodies before PR #1843). The body is written once into one growable buffer, entities straight as UTF-8 JSON.
/// </summary>
internal static class TableBatchBody
{
    /// <summary>Most operations in one transaction (service limit).</summary>
    public const int MaxOperations = 100;

    /// <summary>Largest transaction body in bytes (service limit: 4 MiB).</summary>
    public const int MaxBodyBytes = 4 * 1024 * 1024;

    private const string Crlf = "\r\n";

    /// <summary>
    /// Checks what the service would refuse, and what Azurite would wrongly accept (cross-partition batches,
    /// Azure/Azurite#1215): 1-100 operations, one PartitionKey, each entity at most once.
    /// Throws <see cref="ArgumentException"/> naming the first offending operation.
    /// </summary>
    public static void Validate(IReadOnlyList<TableBatchOperation> operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        if (operations.Count is 0 or > MaxOperations)
        {
            throw new ArgumentException(
                $"An entity-group transaction holds 1-{MaxOperations} operations, not {operations.Count}.", nameof(operations));
        }

        var partitionKey = (operations[0] ?? throw new ArgumentException("Operation 0 is null.", nameof(operations))).Entity.PartitionKey;
        var rowKeys = new HashSet<string>(StringComparer.Ordinal);
        for (var index = 0; index < operations.Count; index++)
        {
            var operation = operations[index] ?? throw new ArgumentException($"Operation {index} is null.", nameof(operations));
            if (!string.Equals(operation.Entity.PartitionKey, partitionKey, StringComparison.Ordinal))
            {
                throw new ArgumentException(
                    $"Operation {index} is in partition '{operation.Entity.PartitionKey}' but operation 0 is in " +
                    $"'{partitionKey}': an entity-group transaction stays in one partition.",
                    nameof(operations));
            }

            if (!rowKeys.Add(operation.Entity.RowKey))
            {
                throw new ArgumentException(
                    $"Operation {index} touches RowKey '{operation.Entity.RowKey}' again: each entity appears at most once.",
                    nameof(operations));
            }
        }
    }

    /// <summary>
    /// The request body for <paramref name="operations"/> against <paramref name="tableUri"/> (absolute, e.g.
    /// http://127.0.0.1:10002/devstoreaccount1/ledger). Validates first; throws <see cref="ArgumentException"/> when the
    /// body would exceed <see cref="MaxBodyBytes"/>.
    /// </summary>
    public static ReadOnlyMemory<byte> Build(
        Uri tableUri, IReadOnlyList<TableBatchOperation> operations, string batchBoundary, string changesetBoundary)
    {
        ArgumentNullException.ThrowIfNull(tableUri);
        Validate(operations);

        // About 300 bytes of framing per operation plus the entity: start near the likely size to avoid regrowth.
        var buffer = new ArrayBufferWriter<byte>(1024 + (operations.Count * 512));
        var table = tableUri.AbsoluteUri.TrimEnd('/');
        Utf8(buffer, "--" + batchBoundary + Crlf);
        Utf8(buffer, "Content-Type: multipart/mixed; boundary=" + changesetBoundary + Crlf + Crlf);
        using var json = new Utf8JsonWriter(buffer, TableEntityJson.WriterOptions);
        for (var index = 0; index < operations.Count; index++)
        {
            var operation = operations[index];
            Utf8(buffer, "--" + changesetBoundary + Crlf);
            Utf8(buffer, "Content-Type: application/http" + Crlf + "Content-Transfer-Encoding: binary" + Crlf + Crlf);
            var entity = operation.Entity;
            var address = table + TableKeys.EntityPath(entity.PartitionKey, entity.RowKey);
            var requestLine = operation.Kind switch
            {
                TableBatchOperationKind.Insert => "POST " + table,
                TableBatchOperationKind.Upsert or TableBatchOperationKind.Replace => "PUT " + address,
                TableBatchOperationKind.Merge => "MERGE " + address,
                TableBatchOperationKind.Delete => "DELETE " + address,
                _ => throw new ArgumentOutOfRangeException(nameof(operations), operation.Kind, "Unknown batch operation."),
            };
            Utf8(buffer, requestLine + " HTTP/1.1" + Crlf);
            Utf8(buffer, "Accept: " + TableClient.JsonAccept + Crlf + "DataServiceVersion: 3.0;" + Crlf);
            if (operation.IfMatch != default)
            {
                Utf8(buffer, "If-Match: " + operation.IfMatch.ToString() + Crlf);
            }

            if (operation.Kind == TableBatchOperationKind.Delete)
            {
                Utf8(buffer, Crlf);
                continue;
            }

            Utf8(buffer, "Content-Type: application/json" + Crlf);
            if (operation.Kind == TableBatchOperationKind.Insert)
            {
                Utf8(buffer, "Prefer: return-no-content" + Crlf);
            }

            Utf8(buffer, Crlf);
            json.Reset(buffer);
            TableEntityJson.Write(json, entity);
            json.Flush();
            Utf8(buffer, Crlf);
            if (buffer.WrittenCount > MaxBodyBytes)
            {
                throw new ArgumentException(
                    $"The entity-group transaction is larger than {MaxBodyBytes} bytes at operation {index}.", nameof(operations));
            }
        }

        Utf8(buffer, "--" + changesetBoundary + "--" + Crlf);
        Utf8(buffer, "--" + batchBoundary + "--" + Crlf);
        if (buffer.WrittenCount > MaxBodyBytes)
        {
            throw new ArgumentException($"The entity-group transaction is larger than {MaxBodyBytes} bytes.", nameof(operations));
        }

        return buffer.WrittenMemory;
    }

    private static void Utf8(ArrayBufferWriter<byte> buffer, string text)
    {
        var count = Encoding.UTF8.GetByteCount(text);
        var written = Encoding.UTF8.GetBytes(text, buffer.GetSpan(count));
        buffer.Advance(written);
    }
}
