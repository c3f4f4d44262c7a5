using System.Globalization;
using ServiceLedger.Functions.Adapters.Tables;
using ServiceLedger.TestSupport.Azurite;

namespace ServiceLedger.Integration.Tests.Storage;

public sealed class TableBatchTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Journal_append_shape_commits_in_one_request_and_returns_every_etag()
    {
        var table = await SharedAzurite.NewTableAsync("append");
        var headETag = await table.InsertAsync(Head(0), None);
        var clients = StorageTestClients.Create((await AzuriteInstance.SharedAsync()).ConnectionString);
        var counted = clients.Tables.GetTableClient(table.Name);

        var result = await counted.SubmitBatchAsync(
            [
                TableBatchOperation.Insert(Entry(1)),
                TableBatchOperation.Insert(new TableEntity("book", "idem:stripe:evt_1", [new("Sequence", 1L)])),
                TableBatchOperation.Replace(Head(1), headETag),
            ],
            None);

        Assert.True(result.Succeeded);
        Assert.Equal(1, clients.Counter.TableRequests);
        Assert.Equal(3, result.ETags.Count);
        var head = await table.GetAsync("book", "head", null, None);
        Assert.Equal(1L, head!.Get("LastSequence").AsInt64());
        Assert.Equal(head.ETag, result.ETags[2]);
        Assert.NotNull(await table.GetAsync("book", Sequence(1), null, None));
        Assert.NotNull(await table.GetAsync("book", "idem:stripe:evt_1", null, None));

        // The returned head ETag is usable as the next If-Match without reading the head again.
        var next = await table.SubmitBatchAsync(
            [TableBatchOperation.Insert(Entry(2)), TableBatchOperation.Replace(Head(2), result.ETags[2])], None);
        Assert.True(next.Succeeded);
    }

    [Fact]
    public async Task A_conflict_at_the_third_operation_writes_nothing_and_reports_index_2()
    {
        var table = await SharedAzurite.NewTableAsync("atomic");
        await table.InsertAsync(new TableEntity("book", "idem:k"), None);

        var result = await table.SubmitBatchAsync(
            [
                TableBatchOperation.Insert(Entry(1)),
                TableBatchOperation.Upsert(Head(1)),
                TableBatchOperation.Insert(new TableEntity("book", "idem:k")),
            ],
            None);

        Assert.False(result.Succeeded);
        Assert.Equal(2, result.Failure!.OperationIndex);
        Assert.Equal(409, result.Failure.Status);
        Assert.True(result.Failure.IsConflict);
        Assert.Equal("EntityAlreadyExists", result.Failure.ErrorCode);
        Assert.Empty(result.ETags);
        Assert.Null(await table.GetAsync("book", Sequence(1), null, None));
        Assert.Null(await table.GetAsync("book", "head", null, None));
    }

    [Fact]
    public async Task A_stale_head_etag_fails_the_batch_with_412_at_its_index()
    {
        var table = await SharedAzurite.NewTableAsync("stalehead");
        var stale = await table.InsertAsync(Head(0), None);
        await table.ReplaceAsync(Head(5), stale, None);

        var result = await table.SubmitBatchAsync(
            [
                TableBatchOperation.Insert(Entry(1)),
                TableBatchOperation.Insert(new TableEntity("book", "idem:x")),
                TableBatchOperation.Replace(Head(1), stale),
            ],
            None);

        Assert.True(result.Failure!.IsPreconditionFailed);
        Assert.Equal(2, result.Failure.OperationIndex);
        Assert.Equal("UpdateConditionNotSatisfied", result.Failure.ErrorCode);
        Assert.Null(await table.GetAsync("book", Sequence(1), null, None));
        Assert.Null(await table.GetAsync("book", "idem:x", null, None));
        Assert.Equal(5L, (await table.GetAsync("book", "head", null, None))!.Get("LastSequence").AsInt64());
    }

    [Fact]
    public async Task EnsureSucceeded_throws_the_typed_error_with_the_failed_index()
    {
        var table = await SharedAzurite.NewTableAsync("ensure");
        await table.InsertAsync(Entry(1), None);

        var result = await table.SubmitBatchAsync([TableBatchOperation.Insert(Entry(1))], None);
        var error = Assert.Throws<TableStorageException>(() => result.EnsureSucceeded());

        Assert.Equal(0, error.FailedOperationIndex);
        Assert.True(error.IsConflict);
    }

    [Fact]
    public async Task Merge_and_delete_in_a_batch_honour_if_match()
    {
        var table = await SharedAzurite.NewTableAsync("mergedelete");
        var a = await table.InsertAsync(new TableEntity("p", "a", [new("X", 1), new("Y", "kept")]), None);
        var b = await table.InsertAsync(new TableEntity("p", "b"), None);

        var result = await table.SubmitBatchAsync(
            [TableBatchOperation.Merge(new TableEntity("p", "a", [new("X", 2)]), a), TableBatchOperation.Delete("p", "b", b)], None);

        Assert.True(result.Succeeded);
        var merged = await table.GetAsync("p", "a", null, None);
        Assert.Equal(2, merged!.Get("X").AsInt32());
        Assert.Equal("kept", merged.Get("Y").AsString());
        Assert.Null(await table.GetAsync("p", "b", null, None));
    }

    [Fact]
    public async Task A_batch_across_partitions_is_refused_before_sending()
    {
        var table = await SharedAzurite.NewTableAsync("crosspartition");
        var clients = StorageTestClients.Create((await AzuriteInstance.SharedAsync()).ConnectionString);
        var counted = clients.Tables.GetTableClient(table.Name);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => counted.SubmitBatchAsync(
            [TableBatchOperation.Insert(new TableEntity("p1", "r")), TableBatchOperation.Insert(new TableEntity("p2", "r"))], None));

        Assert.Contains("one partition", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, clients.Counter.Total);
        Assert.Empty((await table.QueryPageAsync(new TableQuery(), null, None)).Entities);
    }

    [Fact]
    public async Task A_query_over_more_than_1000_entities_follows_continuation_to_the_end()
    {
        var table = await SharedAzurite.NewTableAsync("paging");
        const int count = 1234;
        for (var start = 0; start < count; start += TableBatchBody.MaxOperations)
        {
            var batch = Enumerable.Range(start, Math.Min(TableBatchBody.MaxOperations, count - start))
                .Select(i => TableBatchOperation.Insert(new TableEntity("p", Sequence(i), [new("I", i)])))
                .ToList();
            (await table.SubmitBatchAsync(batch, None)).EnsureSucceeded();
        }

        await table.InsertAsync(new TableEntity("other", "x"), None);

        var pages = new List<TablePage>();
        await foreach (var page in table.QueryPagesAsync(new TableQuery(TableFilter.PartitionKeyEquals("p")), 10, None))
        {
            pages.Add(page);
        }

        var all = pages.SelectMany(page => page.Entities).ToList();
        Assert.True(pages.Count >= 2);
        Assert.Null(pages[^1].ContinuationToken);
        Assert.Equal(count, all.Count);
        Assert.Equal(Enumerable.Range(0, count), all.Select(entity => entity.Get("I").AsInt32()));
    }

    [Fact]
    public async Task Top_sets_the_page_size_and_the_page_bound_stops_a_longer_query()
    {
        var table = await SharedAzurite.NewTableAsync("top");
        (await table.SubmitBatchAsync(
            Enumerable.Range(0, 5).Select(i => TableBatchOperation.Insert(new TableEntity("p", Sequence(i)))).ToList(), None))
            .EnsureSucceeded();

        var first = await table.QueryPageAsync(new TableQuery(top: 2), null, None);
        var second = await table.QueryPageAsync(new TableQuery(top: 2), first.ContinuationToken, None);
        var all = await table.QueryAsync(new TableQuery(top: 2), 3, None).ToListAsync();

        Assert.Equal([Sequence(0), Sequence(1)], first.Entities.Select(e => e.RowKey));
        Assert.Equal([Sequence(2), Sequence(3)], second.Entities.Select(e => e.RowKey));
        Assert.Equal(5, all.Count);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await table.QueryAsync(new TableQuery(top: 2), 2, None).ToListAsync());
    }

    private static string Sequence(long sequence) => sequence.ToString("D19", CultureInfo.InvariantCulture);

    private static TableEntity Entry(long sequence) =>
        new("book", Sequence(sequence), [new("Hash", new byte[] { 1, 2, 3 }), new("AmountMinor", 2706852L)]);

    private static TableEntity Head(long lastSequence) =>
        new("book", "head", [new("LastSequence", lastSequence), new("LastHash", "h" + lastSequence)]);
}
