using Azure;
using ServiceLedger.Functions.Adapters.Tables;

namespace ServiceLedger.Integration.Tests.Storage;

public sealed class TableClientTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Inserted_entity_reads_back_with_its_etag_and_timestamp()
    {
        var table = await SharedAzurite.NewTableAsync("insert");
        var etag = await table.InsertAsync(new TableEntity("p", "r", [new("Name", "Ada")]), None);

        var read = await table.GetAsync("p", "r", null, None);

        Assert.NotNull(read);
        Assert.NotEqual(default, etag);
        Assert.Equal(etag, read.ETag);
        Assert.Equal("Ada", read.Get("Name").AsString());
        Assert.NotNull(read.Timestamp);
    }

    [Fact]
    public async Task Creating_an_existing_table_again_succeeds()
    {
        var table = await SharedAzurite.NewTableAsync("twice");

        await table.CreateIfNotExistsAsync(None);
        await table.InsertAsync(new TableEntity("p", "r"), None);
        await table.CreateIfNotExistsAsync(None);

        Assert.NotNull(await table.GetAsync("p", "r", null, None));
    }

    [Fact]
    public async Task Get_of_a_missing_entity_is_null()
    {
        var table = await SharedAzurite.NewTableAsync("missing");

        Assert.Null(await table.GetAsync("p", "nothing-here", null, None));
    }

    [Fact]
    public async Task Get_on_a_missing_table_throws_table_not_found()
    {
        var clients = await SharedAzurite.ClientsAsync();
        var table = clients.Tables.GetTableClient(ServiceLedger.TestSupport.Azurite.StorageTestNames.Table("nevercreated"));

        var error = await Assert.ThrowsAsync<TableStorageException>(() => table.GetAsync("p", "r", null, None));

        Assert.True(error.IsNotFound);
        Assert.Equal("TableNotFound", error.ErrorCode);
    }

    [Fact]
    public async Task Inserting_a_duplicate_answers_409_entity_already_exists()
    {
        var table = await SharedAzurite.NewTableAsync("duplicate");
        await table.InsertAsync(new TableEntity("p", "r"), None);

        var error = await Assert.ThrowsAsync<TableStorageException>(() => table.InsertAsync(new TableEntity("p", "r"), None));

        Assert.True(error.IsConflict);
        Assert.Equal(409, error.Status);
        Assert.Equal("EntityAlreadyExists", error.ErrorCode);
    }

    [Fact]
    public async Task Upsert_inserts_then_replaces_dropping_properties_not_sent()
    {
        var table = await SharedAzurite.NewTableAsync("upsert");
        var first = await table.UpsertAsync(new TableEntity("p", "r", [new("A", 1), new("B", 2)]), None);
        var second = await table.UpsertAsync(new TableEntity("p", "r", [new("A", 10)]), None);

        var read = await table.GetAsync("p", "r", null, None);

        Assert.NotEqual(first, second);
        Assert.Equal(10, read!.Get("A").AsInt32());
        Assert.False(read.TryGet("B", out _));
    }

    [Fact]
    public async Task Replace_with_the_current_etag_succeeds_and_returns_a_new_etag()
    {
        var table = await SharedAzurite.NewTableAsync("replace");
        var etag = await table.InsertAsync(new TableEntity("p", "r", [new("V", 1)]), None);

        var newETag = await table.ReplaceAsync(new TableEntity("p", "r", [new("V", 2)]), etag, None);

        var read = await table.GetAsync("p", "r", null, None);
        Assert.Equal(2, read!.Get("V").AsInt32());
        Assert.Equal(newETag, read.ETag);
        Assert.NotEqual(etag, newETag);
    }

    [Fact]
    public async Task Replace_with_a_stale_etag_answers_412_and_changes_nothing()
    {
        var table = await SharedAzurite.NewTableAsync("stale");
        var stale = await table.InsertAsync(new TableEntity("p", "r", [new("V", 1)]), None);
        await table.ReplaceAsync(new TableEntity("p", "r", [new("V", 2)]), stale, None);

        var error = await Assert.ThrowsAsync<TableStorageException>(
            () => table.ReplaceAsync(new TableEntity("p", "r", [new("V", 3)]), stale, None));

        Assert.True(error.IsPreconditionFailed);
        Assert.Equal("UpdateConditionNotSatisfied", error.ErrorCode);
        Assert.Equal(2, (await table.GetAsync("p", "r", null, None))!.Get("V").AsInt32());
    }

    [Fact]
    public async Task Merge_keeps_properties_not_sent_and_honours_if_match()
    {
        var table = await SharedAzurite.NewTableAsync("merge");
        var etag = await table.InsertAsync(new TableEntity("p", "r", [new("A", 1), new("B", "kept")]), None);

        var merged = await table.MergeAsync(new TableEntity("p", "r", [new("A", 5)]), etag, None);
        var error = await Assert.ThrowsAsync<TableStorageException>(
            () => table.MergeAsync(new TableEntity("p", "r", [new("A", 6)]), etag, None));

        var read = await table.GetAsync("p", "r", null, None);
        Assert.Equal(5, read!.Get("A").AsInt32());
        Assert.Equal("kept", read.Get("B").AsString());
        Assert.Equal(merged, read.ETag);
        Assert.True(error.IsPreconditionFailed);
    }

    [Fact]
    public async Task Delete_needs_the_current_etag_or_all()
    {
        var table = await SharedAzurite.NewTableAsync("delete");
        var stale = await table.InsertAsync(new TableEntity("p", "r", [new("V", 1)]), None);
        var current = await table.UpsertAsync(new TableEntity("p", "r", [new("V", 2)]), None);
        await table.InsertAsync(new TableEntity("p", "other"), None);

        var error = await Assert.ThrowsAsync<TableStorageException>(() => table.DeleteAsync("p", "r", stale, None));
        await table.DeleteAsync("p", "r", current, None);
        await table.DeleteAsync("p", "other", ETag.All, None);

        Assert.True(error.IsPreconditionFailed);
        Assert.Null(await table.GetAsync("p", "r", null, None));
        Assert.Null(await table.GetAsync("p", "other", null, None));
    }

    [Fact]
    public async Task Deleting_a_missing_entity_answers_404()
    {
        var table = await SharedAzurite.NewTableAsync("deletemissing");

        var error = await Assert.ThrowsAsync<TableStorageException>(() => table.DeleteAsync("p", "r", ETag.All, None));

        Assert.True(error.IsNotFound);
    }

    [Theory]
    [InlineData("o'clock", "it''s")]
    [InlineData("'", "''")]
    [InlineData("a b+c&d=e%20f", "ünïcødé 中文 ;,:@$!*()")]
    [InlineData("", "empty-partition")]
    public async Task Keys_with_quotes_and_url_characters_round_trip(string partitionKey, string rowKey)
    {
        var table = await SharedAzurite.NewTableAsync("keys");
        var etag = await table.InsertAsync(new TableEntity(partitionKey, rowKey, [new("V", 1)]), None);

        var read = await table.GetAsync(partitionKey, rowKey, null, None);
        var replaced = await table.ReplaceAsync(new TableEntity(partitionKey, rowKey, [new("V", 2)]), etag, None);
        var queried = await table.QueryPageAsync(
            new TableQuery(TableFilter.And(TableFilter.PartitionKeyEquals(partitionKey), TableFilter.Compare("RowKey", TableFilterOperator.Equal, rowKey))),
            null,
            None);
        await table.DeleteAsync(partitionKey, rowKey, replaced, None);

        Assert.Equal(partitionKey, read!.PartitionKey);
        Assert.Equal(rowKey, read.RowKey);
        var single = Assert.Single(queried.Entities);
        Assert.Equal(rowKey, single.RowKey);
        Assert.Equal(2, single.Get("V").AsInt32());
        Assert.Null(await table.GetAsync(partitionKey, rowKey, null, None));
    }

    [Fact]
    public async Task Typed_properties_round_trip_with_their_types()
    {
        var table = await SharedAzurite.NewTableAsync("types");
        var instant = new DateTimeOffset(2027, 3, 31, 23, 59, 59, TimeSpan.FromHours(8)).AddTicks(1234567);
        var guid = Guid.Parse("6f9619ff-8b86-d011-b42d-00cf4fc964ff");
        byte[] bytes = [0, 1, 2, 254, 255];
        await table.InsertAsync(
            new TableEntity("p", "r",
            [
                new("Text", "héllo \"quoted\" <xml>"),
                new("Int32", int.MinValue),
                new("Int64", long.MaxValue),
                new("SmallInt64", 5L),
                new("Double", 2.0),
                new("Fraction", 0.1),
                new("NotANumber", double.NaN),
                new("Infinite", double.PositiveInfinity),
                new("Flag", true),
                new("When", instant),
                new("Bytes", bytes),
                new("Id", guid),
            ]),
            None);

        var read = (await table.GetAsync("p", "r", null, None))!;
        var queried = Assert.Single((await table.QueryPageAsync(new TableQuery(), null, None)).Entities);

        foreach (var entity in new[] { read, queried })
        {
            Assert.Equal("héllo \"quoted\" <xml>", entity.Get("Text").AsString());
            Assert.Equal(int.MinValue, entity.Get("Int32").AsInt32());
            Assert.Equal(long.MaxValue, entity.Get("Int64").AsInt64());
            Assert.Equal(TableValueKind.Int64, entity.Get("SmallInt64").Kind);
            Assert.Equal(TableValueKind.Double, entity.Get("Double").Kind);
            Assert.Equal(2.0, entity.Get("Double").AsDouble());
            Assert.Equal(0.1, entity.Get("Fraction").AsDouble());
            Assert.True(double.IsNaN(entity.Get("NotANumber").AsDouble()));
            Assert.Equal(double.PositiveInfinity, entity.Get("Infinite").AsDouble());
            Assert.True(entity.Get("Flag").AsBoolean());
            Assert.Equal(instant, entity.Get("When").AsDateTime());
            Assert.Equal(TimeSpan.Zero, entity.Get("When").AsDateTime().Offset);
            Assert.Equal(bytes, entity.Get("Bytes").AsBinary().ToArray());
            Assert.Equal(guid, entity.Get("Id").AsGuid());
            Assert.Equal(12, entity.Properties.Count);
        }
    }

    [Fact]
    public async Task Select_returns_only_the_named_properties()
    {
        var table = await SharedAzurite.NewTableAsync("select");
        await table.InsertAsync(new TableEntity("p", "r", [new("A", 1), new("B", 2), new("C", 3)]), None);

        var read = await table.GetAsync("p", "r", ["A", "C"], None);
        var page = await table.QueryPageAsync(new TableQuery(select: ["B"]), null, None);

        Assert.Equal(["A", "C"], read!.Properties.Keys.Order());
        Assert.Equal(["B"], Assert.Single(page.Entities).Properties.Keys);
    }
}
