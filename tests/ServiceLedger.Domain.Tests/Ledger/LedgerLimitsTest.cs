using System.Text;
using ServiceLedger.Domain.Ledger;
using static ServiceLedger.Domain.Tests.Ledger.LedgerTestData;

namespace ServiceLedger.Domain.Tests.Ledger;

using L = ServiceLedger.Domain.Ledger.LedgerLimits;

/// <summary>The ledger's limits tested against each other and against the Table Storage facts they derive from.</summary>
public sealed class LedgerLimitsTest
{
    private const int CurrencyCodeLength = 3;

    [Fact]
    public void Canonical_entry_fits_one_table_string_property()
    {
        // UTF-16 code units never outnumber UTF-8 bytes, so a byte bound is also a character bound.
        foreach (var sample in new[] { "ascii", "对账单", "🧾🧾", "é" })
        {
            Assert.True(sample.Length <= Encoding.UTF8.GetByteCount(sample));
        }

        Assert.True(L.MaxEntryCanonicalBytes <= L.TableStringPropertyMaxChars);
    }

    [Fact]
    public void Entry_entity_fits_one_table_entity_even_if_every_character_is_json_escaped()
    {
        const long worstEntryEntityBytes = ((long)L.MaxEntryCanonicalBytes * L.JsonEscapeMaxBytesPerChar) + L.EntryEntityOtherPropertiesMaxBytes;

        Assert.True(worstEntryEntityBytes <= L.TableEntityMaxBytes, $"{worstEntryEntityBytes} > {L.TableEntityMaxBytes}");
    }

    [Fact]
    public void Entry_with_its_idempotency_marker_and_head_update_fits_one_entity_group_transaction()
    {
        const long worstEntryEntityBytes = ((long)L.MaxEntryCanonicalBytes * L.JsonEscapeMaxBytesPerChar) + L.EntryEntityOtherPropertiesMaxBytes;
        const long worstBatchBytes = worstEntryEntityBytes + (2L * L.SmallEntityMaxBytes) + ((long)L.OperationsPerAppend * L.BatchOperationFramingMaxBytes);

        Assert.True(L.OperationsPerAppend <= L.TableBatchMaxOperations);
        Assert.True(worstBatchBytes <= L.TableBatchMaxBytes, $"{worstBatchBytes} > {L.TableBatchMaxBytes}");
    }

    [Fact]
    public void Idempotency_marker_and_head_fit_their_small_entity_budget()
    {
        // Keys, the request hash and the sequence, all JSON-escaped in the worst case, plus property names.
        const int propertyNamesBytes = 256;
        var markerChars = L.MaxBookIdLength + L.IdempotencyMarkerPrefix.Length + L.MaxIdempotencyKeyLength + (EntryHash.ByteLength * 2) + L.SequenceKeyDigits;
        var headChars = L.MaxBookIdLength + 4 + L.SequenceKeyDigits + (EntryHash.ByteLength * 2);

        Assert.True((markerChars * L.JsonEscapeMaxBytesPerChar) + propertyNamesBytes <= L.SmallEntityMaxBytes);
        Assert.True((headChars * L.JsonEscapeMaxBytesPerChar) + propertyNamesBytes <= L.SmallEntityMaxBytes);
    }

    [Fact]
    public void Content_budget_plus_sealed_fields_is_the_entry_budget_and_covers_the_longest_sealed_fields()
    {
        var content = Valid();
        var sealedAtMax = JournalEntry.FromStored(content, long.MaxValue, RecordedAt, EntryHash.Zero, EntryHash.Zero);

        var sealedFieldsBytes = CanonicalForm.EntryBytes(sealedAtMax).Length - CanonicalForm.ContentBytes(content).Length;

        Assert.Equal(L.MaxEntryCanonicalBytes, L.MaxEntryContentBytes + L.MaxSealedFieldsBytes);
        Assert.True(sealedFieldsBytes <= L.MaxSealedFieldsBytes, $"{sealedFieldsBytes} > {L.MaxSealedFieldsBytes}");
    }

    [Fact]
    public void Every_key_fits_a_table_key()
    {
        Assert.True(L.IdempotencyMarkerPrefix.Length + L.MaxIdempotencyKeyLength <= L.TableKeyMaxChars);
        Assert.True(L.MaxBookIdLength <= L.TableKeyMaxChars);
        Assert.True(L.MaxAccountIdLength + 1 + CurrencyCodeLength <= L.TableKeyMaxChars, "a balance row keyed {account}|{currency}");
        Assert.True(L.SequenceKeyDigits <= L.TableKeyMaxChars);
    }

    [Fact]
    public void Longest_party_ids_fit_the_account_book_and_key_limits()
    {
        var merchant = "mer_" + new string('m', L.MaxPartyIdLength - 4);
        var vendor = "ven_" + new string('v', L.MaxPartyIdLength - 4);
        var contract = "ctr_" + new string('c', L.MaxPartyIdLength - 4);

        Assert.True(AccountId.MerchantReceivable(merchant).Value.Length <= L.MaxAccountIdLength);
        Assert.True(AccountId.VendorPayable(vendor).Value.Length <= L.MaxAccountIdLength);
        Assert.True(BookId.ForContract(contract).Value.Length <= L.MaxBookIdLength);
        Assert.True(IdempotencyKey.ForStatement(contract, "2027-Q4", int.MaxValue).Value.Length <= L.MaxIdempotencyKeyLength);
        Assert.True(IdempotencyKey.ForDisputeResolution(new string('d', L.MaxPartyIdLength)).Value.Length <= L.MaxIdempotencyKeyLength);
    }

    [Fact]
    public void Sums_of_an_entrys_largest_amounts_cannot_overflow_minor_units()
    {
        // KWD has three minor digits, the most of any currency the product knows.
        const decimal largestMinorUnitsInOneEntry = L.MaxPostingAmount * L.MaxPostingsPerEntry * 1000m;

        Assert.True(largestMinorUnitsInOneEntry < long.MaxValue);
        Assert.All(ServiceLedger.Domain.Money.Currency.All, currency => Assert.True(currency.MinorUnits <= 3));
    }

    [Fact]
    public void Page_size_does_not_exceed_what_one_table_query_returns()
    {
        Assert.True(L.MaxPageSize <= 1_000);
        Assert.InRange(L.MaxAppendAttempts, 1, 10);
    }
}
