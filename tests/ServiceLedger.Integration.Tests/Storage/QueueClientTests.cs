using System.Text;
using ServiceLedger.Functions.Adapters.Queues;
using ServiceLedger.TestSupport.Azurite;

namespace ServiceLedger.Integration.Tests.Storage;

public sealed class QueueClientTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_put_message_is_received_with_its_metadata_and_dequeue_count_1()
    {
        var queue = await SharedAzurite.NewQueueAsync("receive");
        var sent = await queue.SendMessageAsync("settle ctr_1 2027-03", 0, None);

        var received = Assert.Single(await queue.ReceiveMessagesAsync(32, 30, None));

        Assert.Equal(sent.MessageId, received.MessageId);
        Assert.Equal("settle ctr_1 2027-03", received.MessageText);
        Assert.Equal(1, received.DequeueCount);
        Assert.Equal(sent.InsertionTime, received.InsertionTime);
        Assert.False(string.IsNullOrEmpty(received.PopReceipt));
        Assert.InRange(received.NextVisibleTime - received.InsertionTime, TimeSpan.FromSeconds(29), TimeSpan.FromSeconds(60));
        Assert.InRange(received.ExpirationTime - received.InsertionTime, TimeSpan.FromDays(7) - TimeSpan.FromSeconds(1), TimeSpan.FromDays(7) + TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task A_received_message_stays_hidden_until_made_visible_and_then_counts_a_second_dequeue()
    {
        var queue = await SharedAzurite.NewQueueAsync("visibility");
        await queue.SendMessageAsync("m", 0, None);
        var first = Assert.Single(await queue.ReceiveMessagesAsync(1, 300, None));

        var whileHidden = await queue.ReceiveMessagesAsync(32, 300, None);
        var peekedWhileHidden = await queue.PeekMessagesAsync(32, None);
        await queue.UpdateVisibilityAsync(first.MessageId, first.PopReceipt, 0, None);
        var second = Assert.Single(await queue.ReceiveMessagesAsync(1, 300, None));

        Assert.Empty(whileHidden);
        Assert.Empty(peekedWhileHidden);
        Assert.Equal(first.MessageId, second.MessageId);
        Assert.Equal(2, second.DequeueCount);
    }

    [Fact]
    public async Task Update_returns_a_new_pop_receipt_and_the_old_one_can_no_longer_delete()
    {
        var queue = await SharedAzurite.NewQueueAsync("update");
        await queue.SendMessageAsync("m", 0, None);
        var received = Assert.Single(await queue.ReceiveMessagesAsync(1, 30, None));

        var lease = await queue.UpdateVisibilityAsync(received.MessageId, received.PopReceipt, 600, None);
        var stale = await Assert.ThrowsAsync<QueueStorageException>(
            () => queue.DeleteMessageAsync(received.MessageId, received.PopReceipt, None));
        await queue.DeleteMessageAsync(received.MessageId, lease.PopReceipt, None);

        Assert.NotEqual(received.PopReceipt, lease.PopReceipt);
        Assert.True(lease.NextVisibleTime > received.NextVisibleTime);
        Assert.Equal((400, "PopReceiptMismatch"), (stale.Status, stale.ErrorCode));
        Assert.True(stale.IsStalePopReceipt);
        var afterDelete = await Assert.ThrowsAsync<QueueStorageException>(
            () => queue.UpdateVisibilityAsync(received.MessageId, lease.PopReceipt, 0, None));
        Assert.True(afterDelete.IsNotFound);
        Assert.True(afterDelete.IsStalePopReceipt);
        Assert.Empty(await queue.PeekMessagesAsync(32, None));
    }

    [Fact]
    public async Task A_deleted_message_is_gone()
    {
        var queue = await SharedAzurite.NewQueueAsync("delete");
        await queue.SendMessageAsync("m", 0, None);
        var received = Assert.Single(await queue.ReceiveMessagesAsync(1, 1, None));

        await queue.DeleteMessageAsync(received.MessageId, received.PopReceipt, None);

        Assert.Empty(await queue.PeekMessagesAsync(32, None));
        Assert.Empty(await queue.ReceiveMessagesAsync(32, 1, None));
    }

    [Fact]
    public async Task Peek_shows_messages_without_hiding_or_counting_them()
    {
        var queue = await SharedAzurite.NewQueueAsync("peek");
        await queue.SendMessageAsync("one", 0, None);
        await queue.SendMessageAsync("two", 0, None);

        var peeked = await queue.PeekMessagesAsync(32, None);
        var received = await queue.ReceiveMessagesAsync(32, 30, None);

        Assert.Equal(["one", "two"], peeked.Select(m => m.MessageText));
        Assert.All(peeked, m => Assert.Equal(0, m.DequeueCount));
        Assert.Equal(["one", "two"], received.Select(m => m.MessageText).Order());
        Assert.All(received, m => Assert.Equal(1, m.DequeueCount));
    }

    [Fact]
    public async Task A_delayed_message_is_invisible_until_its_delay_passes()
    {
        var queue = await SharedAzurite.NewQueueAsync("delay");
        var sent = await queue.SendMessageAsync("later", 3600, None);

        Assert.Empty(await queue.ReceiveMessagesAsync(32, 30, None));
        Assert.Empty(await queue.PeekMessagesAsync(32, None));
        Assert.InRange(sent.NextVisibleTime - sent.InsertionTime, TimeSpan.FromSeconds(3599), TimeSpan.FromSeconds(3601));
    }

    [Fact]
    public async Task Receive_returns_at_most_the_number_asked_for()
    {
        var queue = await SharedAzurite.NewQueueAsync("many");
        for (var i = 0; i < 40; i++)
        {
            await queue.SendMessageAsync("m" + i, 0, None);
        }

        var first = await queue.ReceiveMessagesAsync(QueueClient.MaxMessagesPerRequest, 300, None);
        var rest = await queue.ReceiveMessagesAsync(QueueClient.MaxMessagesPerRequest, 300, None);

        Assert.Equal(32, first.Count);
        Assert.Equal(8, rest.Count);
        Assert.Equal(40, first.Concat(rest).Select(m => m.MessageId).Distinct().Count());
    }

    [Fact]
    public async Task Base64_messages_carry_utf8_json_the_way_the_functions_trigger_reads_it()
    {
        var queue = await SharedAzurite.NewQueueAsync("base64");
        const string json = "{\"eventId\":\"evt_1\",\"note\":\"退款 <ok> & 'fine'\"}";

        await queue.SendBase64MessageAsync(json, 0, None);
        var received = Assert.Single(await queue.ReceiveMessagesAsync(1, 30, None));

        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes(json)), received.MessageText);
        Assert.Equal(json, received.DecodeBase64Text());
        await queue.UpdateVisibilityAsync(received.MessageId, received.PopReceipt, 0, None);
        Assert.Equal(json, Assert.Single(await queue.PeekMessagesAsync(1, None)).DecodeBase64Text());
    }

    [Fact]
    public async Task Text_with_xml_markup_and_line_breaks_round_trips_exactly()
    {
        var queue = await SharedAzurite.NewQueueAsync("xml");
        const string text = "<QueueMessage>&amp; </MessageText>\r\nline2\n\t'\"]]>";

        await queue.SendMessageAsync(text, 0, None);

        Assert.Equal(text, Assert.Single(await queue.ReceiveMessagesAsync(1, 30, None)).MessageText);
    }

    [Fact]
    public async Task Creating_an_existing_queue_again_succeeds_and_keeps_its_messages()
    {
        var queue = await SharedAzurite.NewQueueAsync("twice");
        await queue.SendMessageAsync("kept", 0, None);

        await queue.CreateIfNotExistsAsync(None);

        Assert.Equal("kept", Assert.Single(await queue.PeekMessagesAsync(1, None)).MessageText);
    }

    [Fact]
    public async Task A_missing_queue_answers_404_queue_not_found()
    {
        var clients = await SharedAzurite.ClientsAsync();
        var queue = clients.Queues.GetQueueClient(StorageTestNames.Queue("nevercreated"));

        var error = await Assert.ThrowsAsync<QueueStorageException>(() => queue.SendMessageAsync("m", 0, None));

        Assert.True(error.IsNotFound);
        Assert.Equal("QueueNotFound", error.ErrorCode);
    }

    [Fact]
    public async Task The_approximate_message_count_counts_hidden_messages_and_is_null_for_a_missing_queue()
    {
        var queue = await SharedAzurite.NewQueueAsync("counted");
        var empty = await queue.GetApproximateMessageCountAsync(None);
        await queue.SendMessageAsync("one", 0, None);
        await queue.SendMessageAsync("two", 0, None);
        await queue.SendMessageAsync("three", 0, None);
        await queue.ReceiveMessagesAsync(1, 60, None);
        var missing = (await SharedAzurite.ClientsAsync()).Queues.GetQueueClient(StorageTestNames.Queue("uncounted"));

        Assert.Equal(0, empty);
        Assert.Equal(3, await queue.GetApproximateMessageCountAsync(None));
        Assert.Null(await missing.GetApproximateMessageCountAsync(None));
    }

    [Fact]
    public async Task Out_of_range_arguments_are_refused_before_sending()
    {
        var queue = (await SharedAzurite.ClientsAsync()).Queues.GetQueueClient("never-sent");

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queue.ReceiveMessagesAsync(0, 30, None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queue.ReceiveMessagesAsync(33, 30, None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queue.ReceiveMessagesAsync(1, 0, None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queue.ReceiveMessagesAsync(1, QueueClient.MaxVisibilitySeconds + 1, None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queue.PeekMessagesAsync(33, None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queue.SendMessageAsync("m", -1, None));
        await Assert.ThrowsAsync<ArgumentException>(() => queue.SendMessageAsync(new string('x', QueueClient.MaxMessageBytes + 1), 0, None));
        await Assert.ThrowsAsync<ArgumentException>(() => queue.SendBase64MessageAsync(new string('x', QueueClient.MaxBase64PayloadBytes + 1), 0, None));
        await Assert.ThrowsAsync<ArgumentException>(() => queue.SendMessageAsync("bell\u0007", 0, None));
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("Upper")]
    [InlineData("-start")]
    [InlineData("end-")]
    [InlineData("double--hyphen")]
    [InlineData("under_score")]
    public void Invalid_queue_names_are_refused(string name)
    {
        Assert.False(QueueClient.IsValidQueueName(name));
    }
}
