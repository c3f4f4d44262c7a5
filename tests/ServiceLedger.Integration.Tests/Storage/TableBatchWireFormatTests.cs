using System.Text;
using Azure;
using ServiceLedger.Functions.Adapters.Tables;

namespace ServiceLedger.Integration.Tests.Storage;

/// <summary>Batch request bodies and batch response parsing (unit tests: no Azurite).</summary>
public sealed class TableBatchWireFormatTests
{
    private static readonly Uri TableUri = new("http://127.0.0.1:10002/devstoreaccount1/ledger");

    [Fact]
    public void Journal_append_batch_body_is_one_changeset_with_crlf_framing()
    {
        var body = Build(
        [
            TableBatchOperation.Insert(new TableEntity("book", "0000000001", [new("Amount", 5L)])),
            TableBatchOperation.Replace(new TableEntity("book", "head", [new("Last", 1L)]), new ETag("W/\"datetime'2027-03-31T00%3A00%3A00Z'\"")),
            TableBatchOperation.Delete("book", "o'clock", ETag.All),
        ]);

        Assert.Equal(
            "--batch_b\r\n" +
            "Content-Type: multipart/mixed; boundary=changeset_c\r\n\r\n" +
            "--changeset_c\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n" +
            "POST http://127.0.0.1:10002/devstoreaccount1/ledger HTTP/1.1\r\n" +
            "Accept: application/json;odata=minimalmetadata\r\nDataServiceVersion: 3.0;\r\n" +
            "Content-Type: application/json\r\nPrefer: return-no-content\r\n\r\n" +
            "{\"PartitionKey\":\"book\",\"RowKey\":\"0000000001\",\"Amount@odata.type\":\"Edm.Int64\",\"Amount\":\"5\"}\r\n" +
            "--changeset_c\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n" +
            "PUT http://127.0.0.1:10002/devstoreaccount1/ledger(PartitionKey='book',RowKey='head') HTTP/1.1\r\n" +
            "Accept: application/json;odata=minimalmetadata\r\nDataServiceVersion: 3.0;\r\n" +
            "If-Match: W/\"datetime'2027-03-31T00%3A00%3A00Z'\"\r\nContent-Type: application/json\r\n\r\n" +
            "{\"PartitionKey\":\"book\",\"RowKey\":\"head\",\"Last@odata.type\":\"Edm.Int64\",\"Last\":\"1\"}\r\n" +
            "--changeset_c\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n" +
            "DELETE http://127.0.0.1:10002/devstoreaccount1/ledger(PartitionKey='book',RowKey='o%27%27clock') HTTP/1.1\r\n" +
            "Accept: application/json;odata=minimalmetadata\r\nDataServiceVersion: 3.0;\r\nIf-Match: *\r\n\r\n" +
            "--changeset_c--\r\n" +
            "--batch_b--\r\n",
            body);
        Assert.DoesNotMatch("[^\r]\n", body);
    }

    [Fact]
    public void Merge_and_upsert_use_their_verbs()
    {
        var body = Build(
        [
            TableBatchOperation.Merge(new TableEntity("p", "a"), new ETag("\"e\"")),
            TableBatchOperation.Upsert(new TableEntity("p", "b")),
        ]);

        Assert.Contains("MERGE http://127.0.0.1:10002/devstoreaccount1/ledger(PartitionKey='p',RowKey='a') HTTP/1.1\r\n", body, StringComparison.Ordinal);
        Assert.Contains("PUT http://127.0.0.1:10002/devstoreaccount1/ledger(PartitionKey='p',RowKey='b') HTTP/1.1\r\n", body, StringComparison.Ordinal);
        Assert.Equal(1, Count(body, "If-Match:"));
    }

    [Fact]
    public void One_hundred_operations_are_accepted_and_one_more_is_refused()
    {
        var hundred = Enumerable.Range(0, 100).Select(i => TableBatchOperation.Insert(new TableEntity("p", "r" + i))).ToList();

        Assert.Equal(100, Count(Build(hundred), "--changeset_c\r\nContent-Type: application/http"));
        var error = Assert.Throws<ArgumentException>(
            () => Build([.. hundred, TableBatchOperation.Insert(new TableEntity("p", "r100"))]));
        Assert.Contains("1-100", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Build([]));
    }

    [Fact]
    public void The_same_entity_twice_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => Build(
            [TableBatchOperation.Insert(new TableEntity("p", "r")), TableBatchOperation.Upsert(new TableEntity("p", "r"))]));

        Assert.Contains("Operation 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Operations_in_two_partitions_are_refused_naming_both()
    {
        var error = Assert.Throws<ArgumentException>(() => Build(
            [TableBatchOperation.Insert(new TableEntity("a", "r")), TableBatchOperation.Insert(new TableEntity("b", "r"))]));

        Assert.Contains("'b'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'a'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_body_over_4_mib_is_refused_before_sending()
    {
        var large = new string('x', 60_000);
        var operations = Enumerable.Range(0, 75)
            .Select(i => TableBatchOperation.Insert(new TableEntity("p", "r" + i, [new("Blob", large)])))
            .ToList();

        var error = Assert.Throws<ArgumentException>(() => Build(operations));

        Assert.Contains(TableBatchBody.MaxBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Successful_response_gives_each_operation_its_etag()
    {
        var result = TableBatchResponse.Parse(ResponseContentType, SuccessResponse, 2);

        Assert.True(result.Succeeded);
        Assert.Equal(
            [new ETag("W/\"datetime'2026-11-22T19%3A02%3A46.7372384Z'\""), new ETag("W/\"datetime'2026-11-22T19%3A02%3A46.7378406Z'\"")],
            result.ETags);
    }

    [Fact]
    public void Conflict_response_reports_index_status_and_code()
    {
        var result = TableBatchResponse.Parse(ResponseContentType, ConflictResponse, 2);

        Assert.Equal(1, result.Failure!.OperationIndex);
        Assert.Equal(409, result.Failure.Status);
        Assert.Equal("EntityAlreadyExists", result.Failure.ErrorCode);
        Assert.StartsWith("The specified entity already exists.", result.Failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Precondition_failed_response_reports_index_status_and_code()
    {
        var result = TableBatchResponse.Parse(ResponseContentType, PreconditionFailedResponse, 3);

        Assert.True(result.Failure!.IsPreconditionFailed);
        Assert.Equal(2, result.Failure.OperationIndex);
        Assert.Equal("UpdateConditionNotSatisfied", result.Failure.ErrorCode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Lf_only_framing_and_missing_blank_lines_are_read_the_same(bool dropBlankLinesBeforeBoundaries)
    {
        var lfOnly = ConflictResponse.Replace("\r\n", "\n", StringComparison.Ordinal);
        var success = SuccessResponse.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (dropBlankLinesBeforeBoundaries)
        {
            success = success.Replace("\n\n--", "\n--", StringComparison.Ordinal);
        }

        var failure = TableBatchResponse.Parse(ResponseContentType, lfOnly, 2).Failure;
        var succeeded = TableBatchResponse.Parse(ResponseContentType, success, 2);

        Assert.Equal(new TableBatchFailure(1, 409, "EntityAlreadyExists", failure!.Message), failure);
        Assert.Equal(2, succeeded.ETags.Count);
    }

    [Fact]
    public void Documented_400_failure_with_index_in_the_message_is_read()
    {
        // The shape of the REST docs' sample error: the embedded status is 400 and only the message carries the index.
        const string body =
            "--batchresponse_x\r\nContent-Type: multipart/mixed; boundary=changesetresponse_y\r\n\r\n" +
            "--changesetresponse_y\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n" +
            "HTTP/1.1 400 Bad Request\r\nContent-ID: 4\r\nContent-Type: application/json;odata=minimalmetadata;charset=utf-8\r\n\r\n" +
            "{\"odata.error\":{\"code\":\"InvalidInput\",\"message\":{\"lang\":\"en-US\",\"value\":\"1:One of the request inputs is not valid.\"}}}\r\n" +
            "--changesetresponse_y--\r\n--batchresponse_x--\r\n";

        var failure = TableBatchResponse.Parse("multipart/mixed; boundary=batchresponse_x", body, 3).Failure!;

        Assert.Equal(new TableBatchFailure(1, 400, "InvalidInput", "One of the request inputs is not valid."), failure);
    }

    [Fact]
    public void Without_an_index_in_the_message_the_content_id_names_the_operation()
    {
        var body = ConflictResponse.Replace("\"value\":\"1:", "\"value\":\"", StringComparison.Ordinal);

        Assert.Equal(1, TableBatchResponse.Parse(ResponseContentType, body, 2).Failure!.OperationIndex);
    }

    [Fact]
    public void A_response_answering_fewer_operations_than_sent_is_malformed()
    {
        Assert.Throws<FormatException>(() => TableBatchResponse.Parse(ResponseContentType, SuccessResponse, 3));
    }

    [Fact]
    public void A_response_without_a_boundary_or_closing_delimiter_is_malformed()
    {
        Assert.Throws<FormatException>(() => TableBatchResponse.Parse("multipart/mixed", SuccessResponse, 2));
        Assert.Throws<FormatException>(() => TableBatchResponse.Parse(
            ResponseContentType, SuccessResponse[..SuccessResponse.IndexOf("--changesetresponse_0005--", StringComparison.Ordinal)], 2));
    }

    private const string ResponseContentType = "multipart/mixed; boundary=batchresponse_84f2";

    // Captured from Azurite 3.37 (boundaries shortened).
    private const string SuccessResponse =
        "--batchresponse_84f2\r\nContent-Type: multipart/mixed; boundary=changesetresponse_0005\r\n\r\n" +
        "--changesetresponse_0005\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n" +
        "HTTP/1.1 204 No Content\r\nX-Content-Type-Options: nosniff\r\nCache-Control: no-cache\r\nDataServiceVersion: 3.0;\r\n" +
        "Location: http://127.0.0.1:39541/devstoreaccount1/cap(PartitionKey='p',RowKey='a')\r\n" +
        "DataServiceId: http://127.0.0.1:39541/devstoreaccount1/cap(PartitionKey='p',RowKey='a')\r\n" +
        "ETag: W/\"datetime'2026-11-22T19%3A02%3A46.7372384Z'\"\r\n\r\n\r\n" +
        "--changesetresponse_0005\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n" +
        "HTTP/1.1 204 No Content\r\nX-Content-Type-Options: nosniff\r\nCache-Control: no-cache\r\nDataServiceVersion: 3.0;\r\n" +
        "ETag: W/\"datetime'2026-11-22T19%3A02%3A46.7378406Z'\"\r\n\r\n\r\n" +
        "--changesetresponse_0005--\r\n--batchresponse_84f2--\r\n";

    private const string ConflictResponse =
        "--batchresponse_84f2\r\nContent-Type: multipart/mixed; boundary=changesetresponse_0005\r\n\r\n" +
        "--changesetresponse_0005\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n" +
        "HTTP/1.1 409 Conflict\r\nContent-ID: 2\r\nDataServiceVersion: 3.0;\r\n" +
        "Content-Type: application/json;odata=minimalmetadata;charset=utf-8\r\n\r\n" +
        "{\"odata.error\":{\"code\":\"EntityAlreadyExists\",\"message\":{\"lang\":\"en-US\",\"value\":\"1:The specified entity already exists.\\nRequestId:e2644e98\\nTime:2026-11-22T19:02:46.750Z\"}}}\r\n" +
        "--changesetresponse_0005--\r\n--batchresponse_84f2--\r\n";

    private const string PreconditionFailedResponse =
        "--batchresponse_84f2\r\nContent-Type: multipart/mixed; boundary=changesetresponse_0005\r\n\r\n" +
        "--changesetresponse_0005\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n" +
        "HTTP/1.1 412 Precondition Failed\r\nContent-ID: 3\r\nDataServiceVersion: 3.0;\r\n" +
        "Content-Type: application/json;odata=minimalmetadata;charset=utf-8\r\n\r\n" +
        "{\"odata.error\":{\"code\":\"UpdateConditionNotSatisfied\",\"message\":{\"lang\":\"en-US\",\"value\":\"2:The update condition specified in the request was not satisfied.\\nRequestId:c4c7fa9a\\nTime:2026-11-22T19:02:46.755Z\"}}}\r\n" +
        "--changesetresponse_0005--\r\n--batchresponse_84f2--\r\n";

    private static string Build(IReadOnlyList<TableBatchOperation> operations) =>
        Encoding.UTF8.GetString(TableBatchBody.Build(TableUri, operations, "batch_b", "changeset_c").Span);

    private static int Count(string text, string part)
    {
        var count = 0;
        for (var index = text.IndexOf(part, StringComparison.Ordinal); index >= 0; index = text.IndexOf(part, index + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
