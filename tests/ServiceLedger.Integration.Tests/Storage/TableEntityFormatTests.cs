using System.Buffers;
using System.Text;
using System.Text.Json;
using ServiceLedger.Functions.Adapters.Tables;

namespace ServiceLedger.Integration.Tests.Storage;

/// <summary>Entity JSON, keys, filters and continuation tokens (unit tests: no Azurite).</summary>
public sealed class TableEntityFormatTests
{
    [Fact]
    public void Types_the_service_cannot_infer_are_annotated_on_write()
    {
        var json = Write(new TableEntity("p", "r",
        [
            new("S", "text"),
            new("I", 7),
            new("L", 7L),
            new("D", 2.0),
            new("N", double.NegativeInfinity),
            new("B", false),
            new("T", new DateTimeOffset(2027, 1, 2, 3, 4, 5, TimeSpan.FromHours(8))),
            new("X", new byte[] { 0xFF, 0x00 }),
            new("G", Guid.Parse("6f9619ff-8b86-d011-b42d-00cf4fc964ff")),
        ]));

        Assert.Equal(
            "{\"PartitionKey\":\"p\",\"RowKey\":\"r\",\"S\":\"text\",\"I\":7," +
            "\"L@odata.type\":\"Edm.Int64\",\"L\":\"7\"," +
            "\"D@odata.type\":\"Edm.Double\",\"D\":2," +
            "\"N@odata.type\":\"Edm.Double\",\"N\":\"-Infinity\",\"B\":false," +
            "\"T@odata.type\":\"Edm.DateTime\",\"T\":\"2027-01-01T19:04:05.0000000Z\"," +
            "\"X@odata.type\":\"Edm.Binary\",\"X\":\"/wA=\"," +
            "\"G@odata.type\":\"Edm.Guid\",\"G\":\"6f9619ff-8b86-d011-b42d-00cf4fc964ff\"}",
            json);
    }

    [Fact]
    public void Reading_uses_annotations_and_infers_the_rest()
    {
        using var document = JsonDocument.Parse(
            "{\"odata.etag\":\"W/\\\"x\\\"\",\"PartitionKey\":\"p\",\"RowKey\":\"r\"," +
            "\"Timestamp@odata.type\":\"Edm.DateTime\",\"Timestamp\":\"2027-01-01T00:00:00.1234567Z\"," +
            "\"Whole\":3,\"Fraction\":3.5,\"Big@odata.type\":\"Edm.Int64\",\"Big\":\"-9223372036854775808\"," +
            "\"Gone\":null,\"Text\":\"t\",\"Flag\":true}");

        var entity = TableEntityJson.Read(document.RootElement, null);

        Assert.Equal("W/\"x\"", entity.ETag.ToString());
        Assert.Equal(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(1234567), entity.Timestamp);
        Assert.Equal(TableValue.FromInt32(3), entity.Get("Whole"));
        Assert.Equal(TableValue.FromDouble(3.5), entity.Get("Fraction"));
        Assert.Equal(long.MinValue, entity.Get("Big").AsInt64());
        Assert.False(entity.TryGet("Gone", out _));
        Assert.Equal(["Big", "Flag", "Fraction", "Text", "Whole"], entity.Properties.Keys.Order());
    }

    [Fact]
    public void A_value_read_as_another_type_names_both_types()
    {
        var error = Assert.Throws<InvalidOperationException>(() => TableValue.FromInt64(1).AsInt32());

        Assert.Contains("Int64", error.Message, StringComparison.Ordinal);
        Assert.Contains("Int32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Binary_values_are_copied_and_compared_by_content()
    {
        byte[] bytes = [1, 2, 3];
        var value = TableValue.FromBinary(bytes);
        bytes[0] = 9;

        Assert.Equal(1, value.AsBinary().Span[0]);
        Assert.Equal(TableValue.FromBinary([1, 2, 3]), value);
        Assert.NotEqual(TableValue.FromBinary([1, 2, 4]), value);
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("a#b")]
    [InlineData("a?b")]
    [InlineData("tab\there")]
    [InlineData("line\nbreak")]
    [InlineData("del\u007F")]
    [InlineData("c1\u0085")]
    public void Keys_with_forbidden_characters_are_refused_with_a_clear_message(string key)
    {
        var error = Assert.Throws<ArgumentException>(() => new TableEntity("p", key));

        Assert.Equal("rowKey", error.ParamName);
        Assert.Contains("forbids", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_up_to_512_characters_are_accepted_and_longer_ones_refused()
    {
        _ = new TableEntity(new string('p', 512), new string('r', 512));

        var error = Assert.Throws<ArgumentException>(() => new TableEntity(new string('p', 513), "r"));
        Assert.Contains("513", error.Message, StringComparison.Ordinal);
        Assert.Equal("partitionKey", error.ParamName);
    }

    [Theory]
    [InlineData("PartitionKey")]
    [InlineData("Timestamp")]
    [InlineData("has-dash")]
    [InlineData("1digit")]
    [InlineData("")]
    public void Reserved_or_malformed_property_names_are_refused(string name)
    {
        Assert.Throws<ArgumentException>(() => new TableEntity("p", "r", [new(name, 1)]));
    }

    [Fact]
    public void More_than_252_custom_properties_are_refused()
    {
        _ = new TableEntity("p", "r", Enumerable.Range(0, 252).Select(i => new KeyValuePair<string, TableValue>("P" + i, i)));

        Assert.Throws<ArgumentException>(
            () => new TableEntity("p", "r", Enumerable.Range(0, 253).Select(i => new KeyValuePair<string, TableValue>("P" + i, i))));
    }

    [Fact]
    public void Entity_path_doubles_quotes_then_percent_encodes()
    {
        Assert.Equal("(PartitionKey='o%27%27clock',RowKey='a%20b%2Bc%26d%25')", TableKeys.EntityPath("o'clock", "a b+c&d%"));
    }

    [Theory]
    [InlineData("Ledger1")]
    [InlineData("abc")]
    public void Valid_table_names_are_accepted(string name) => Assert.True(TableKeys.IsValidTableName(name));

    [Theory]
    [InlineData("ab")]
    [InlineData("1abc")]
    [InlineData("with-dash")]
    [InlineData("tables")]
    [InlineData("Tables")]
    public void Invalid_table_names_are_refused(string name) => Assert.False(TableKeys.IsValidTableName(name));

    [Fact]
    public void Filter_literals_are_escaped_and_typed()
    {
        Assert.Equal("PartitionKey eq 'it''s'", TableFilter.PartitionKeyEquals("it's"));
        Assert.Equal("Amount ge 5L", TableFilter.Compare("Amount", TableFilterOperator.GreaterThanOrEqual, 5L));
        Assert.Equal("Count lt 5", TableFilter.Compare("Count", TableFilterOperator.LessThan, 5));
        Assert.Equal("Open ne true", TableFilter.Compare("Open", TableFilterOperator.NotEqual, true));
        Assert.Equal(
            "At le datetime'2027-03-31T16:00:00.0000000Z'",
            TableFilter.Compare("At", TableFilterOperator.LessThanOrEqual, new DateTimeOffset(2027, 4, 1, 0, 0, 0, TimeSpan.FromHours(8))));
        Assert.Equal(
            "Id gt guid'6f9619ff-8b86-d011-b42d-00cf4fc964ff'",
            TableFilter.Compare("Id", TableFilterOperator.GreaterThan, Guid.Parse("6f9619ff-8b86-d011-b42d-00cf4fc964ff")));
        Assert.Equal("(a eq 1) and (b eq 2)", TableFilter.And("a eq 1", "b eq 2"));
        Assert.Throws<ArgumentException>(() => TableFilter.Compare("x) or (1 eq 1", TableFilterOperator.Equal, 1));
    }

    [Fact]
    public void Continuation_tokens_round_trip_and_foreign_tokens_are_refused()
    {
        var token = new TableContinuation("1!8!cGsx", "1!12!MDAwMQ--").ToToken();
        var withoutRowKey = new TableContinuation("1!8!cGsx", null).ToToken();

        Assert.True(TableContinuation.TryParse(token, out var parsed));
        Assert.Equal(new TableContinuation("1!8!cGsx", "1!12!MDAwMQ--"), parsed);
        Assert.True(TableContinuation.TryParse(withoutRowKey, out var partitionOnly));
        Assert.Null(partitionOnly.NextRowKey);
        Assert.DoesNotContain('+', token);
        Assert.DoesNotContain('/', token);
        Assert.False(TableContinuation.TryParse("not base64!", out _));
        Assert.False(TableContinuation.TryParse(Convert.ToBase64String(Encoding.UTF8.GetBytes("no separator")), out _));
        Assert.False(TableContinuation.TryParse(new string('A', TableContinuation.MaxTokenLength + 4), out _));
    }

    [Fact]
    public void Query_options_are_bounded()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TableQuery(top: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TableQuery(top: 1001));
        Assert.Throws<ArgumentException>(() => new TableQuery(select: []));
        Assert.Throws<ArgumentException>(() => new TableQuery(select: ["bad-name"]));
        Assert.Throws<ArgumentException>(() => new TableQuery(filter: new string('x', TableQuery.MaxFilterLength + 1)));
        Assert.Equal(1000, new TableQuery(top: 1000).Top);
    }

    [Fact]
    public void Non_ascii_text_is_written_as_utf8_not_escaped()
    {
        Assert.Equal("{\"PartitionKey\":\"p\",\"RowKey\":\"r\",\"S\":\"退款 <b>\\\"q\\\"\"}", Write(new TableEntity("p", "r", [new("S", "退款 <b>\"q\"")])));
    }

    private static string Write(TableEntity entity)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, TableEntityJson.WriterOptions))
        {
            TableEntityJson.Write(writer, entity);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
