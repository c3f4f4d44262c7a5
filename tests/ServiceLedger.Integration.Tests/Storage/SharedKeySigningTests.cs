using ServiceLedger.Functions.Adapters.Storage;

namespace ServiceLedger.Integration.Tests.Storage;

/// <summary>The Shared Key strings-to-sign against worked examples (unit tests: no Azurite).</summary>
public sealed class SharedKeySigningTests
{
    [Fact]
    public void Table_shared_key_lite_signs_the_date_and_the_resource_as_in_the_documented_example()
    {
        var stringToSign = SharedKeySigning.TableStringToSign(
            "Sun, 11 Oct 2009 19:52:39 GMT", "testaccount1", new Uri("https://testaccount1.table.core.windows.net/Tables"));

        Assert.Equal("Sun, 11 Oct 2009 19:52:39 GMT\n/testaccount1/Tables", stringToSign);
    }

    [Fact]
    public void Table_resource_on_azurite_names_the_account_twice_and_ignores_query_options()
    {
        var stringToSign = SharedKeySigning.TableStringToSign(
            "Sun, 11 Oct 2009 19:52:39 GMT",
            "devstoreaccount1",
            new Uri("http://127.0.0.1:10002/devstoreaccount1/ledger(PartitionKey='o%27%27clock',RowKey='r')?$filter=x%20eq%201&NextRowKey=abc"));

        Assert.Equal(
            "Sun, 11 Oct 2009 19:52:39 GMT\n/devstoreaccount1/devstoreaccount1/ledger(PartitionKey='o%27%27clock',RowKey='r')", stringToSign);
    }

    [Fact]
    public void Table_resource_keeps_only_the_comp_parameter()
    {
        var stringToSign = SharedKeySigning.TableStringToSign(
            "d", "acct", new Uri("https://acct.table.core.windows.net/mytable?timeout=5&comp=acl"));

        Assert.Equal("d\n/acct/mytable?comp=acl", stringToSign);
    }

    [Fact]
    public void Queue_shared_key_matches_the_documented_example_byte_for_byte()
    {
        // The REST docs' example (Authorize with Shared Key): same rule for Blob and Queue.
        var stringToSign = SharedKeySigning.QueueStringToSign(
            "GET",
            [new("x-ms-version", "2015-02-21"), new("x-ms-date", "Fri, 26 Jun 2015 23:39:12 GMT")],
            null,
            "myaccount",
            new Uri("https://myaccount.blob.core.windows.net/mycontainer?restype=container&comp=metadata&timeout=20"));

        Assert.Equal(
            "GET\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:Fri, 26 Jun 2015 23:39:12 GMT\nx-ms-version:2015-02-21\n/myaccount/mycontainer\n" +
            "comp:metadata\nrestype:container\ntimeout:20",
            stringToSign);
    }

    [Fact]
    public void Queue_shared_key_signs_standard_headers_every_storage_header_and_decoded_query_values()
    {
        var stringToSign = SharedKeySigning.QueueStringToSign(
            "put",
            [
                new("Content-Type", "application/xml"),
                new("X-MS-Version", "2021-12-02"),
                new("x-ms-client-request-id", "  id-1  "),
                new("x-ms-date", "Sun, 11 Oct 2009 19:52:39 GMT"),
                new("If-Match", "*"),
                new("User-Agent", "not signed"),
            ],
            120,
            "devstoreaccount1",
            new Uri("http://127.0.0.1:10001/devstoreaccount1/orders/messages/id%201?popreceipt=AgAAAAEAAAApAAAAGIw6Q29bzAE%3d&visibilitytimeout=30"));

        Assert.Equal(
            "PUT\n\n\n120\n\napplication/xml\n\n\n*\n\n\n\n" +
            "x-ms-client-request-id:id-1\nx-ms-date:Sun, 11 Oct 2009 19:52:39 GMT\nx-ms-version:2021-12-02\n" +
            "/devstoreaccount1/devstoreaccount1/orders/messages/id%201\npopreceipt:AgAAAAEAAAApAAAAGIw6Q29bzAE=\nvisibilitytimeout:30",
            stringToSign);
    }

    [Fact]
    public void Queue_shared_key_signs_a_zero_content_length_as_empty()
    {
        var stringToSign = SharedKeySigning.QueueStringToSign(
            "PUT", [new("x-ms-date", "d")], 0, "acct", new Uri("https://acct.queue.core.windows.net/q"));

        Assert.Equal("PUT\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:d\n/acct/q", stringToSign);
    }

    [Fact]
    public void Signature_is_the_base64_hmac_sha256_of_the_string_under_the_decoded_key()
    {
        // Expected values computed independently with Node's crypto.createHmac, the same primitive Azurite verifies with.
        var key = new StorageSharedKey(StorageConnectionString.DevelopmentAccountName, StorageConnectionString.DevelopmentAccountKey);

        Assert.Equal(
            "ErXwXhFUdsOaklxX2/UTRDcWl4T591pmLcUzbBU+SRI=",
            key.ComputeSignature("Sun, 11 Oct 2009 19:52:39 GMT\n/devstoreaccount1/devstoreaccount1/Tables"));
        Assert.Equal(
            "1u9lui2jDxj0+fpbHjQ5m5NnastJRSYM+PSmfi8TXx4=",
            key.ComputeSignature(
                "GET\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:Fri, 26 Jun 2015 23:39:12 GMT\nx-ms-version:2015-02-21\n/myaccount/mycontainer\n" +
                "comp:metadata\nrestype:container\ntimeout:20"));
    }

    [Fact]
    public void A_shared_key_never_shows_its_key()
    {
        var key = new StorageSharedKey("acct", StorageConnectionString.DevelopmentAccountKey);

        Assert.DoesNotContain(StorageConnectionString.DevelopmentAccountKey, key.ToString(), StringComparison.Ordinal);
        Assert.Contains("acct", key.ToString(), StringComparison.Ordinal);
    }
}
