namespace ServiceLedger.Domain.Ledger;

/// <summary>
/// Every bound of the ledger, as named constants, with the Azure Table Storage facts they are derived from.
/// The constants are tested against each other (LedgerLimitsTest): one journal entry with its idempotency marker and the
/// book head update must fit one entity-group transaction, and every id must fit a Table key.
/// </summary>
public static class LedgerLimits
{
    /// <summary>Azure Table Storage: an entity holds at most 1 MiB (azure.md 2.5).</summary>
    public const int TableEntityMaxBytes = 1_048_576;

    /// <summary>Azure Table Storage: a string property holds at most 64 KiB, i.e. 32,768 UTF-16 code units (azure.md 2.5).</summary>
    public const int TableStringPropertyMaxChars = 32_768;

    /// <summary>Azure Table Storage: an entity-group transaction holds at most 100 operations (azure.md 2.6).</summary>
    public const int TableBatchMaxOperations = 100;

    /// <summary>Azure Table Storage: an entity-group transaction payload is at most 4 MiB (azure.md 2.6).</summary>
    public const int TableBatchMaxBytes = 4_194_304;

    /// <summary>
    /// The longest PartitionKey or RowKey we allow ourselves: Azurite rejects keys over 512 characters, Azure documents 1 KiB,
    /// so the smaller one binds (azure.md 2.5).
    /// </summary>
    public const int TableKeyMaxChars = 512;

    /// <summary>Longest party id segment (<c>mer_…</c>, <c>ven_…</c>, <c>ctr_…</c>) inside an account id, book id or key.</summary>
    public const int MaxPartyIdLength = 64;

    /// <summary>Longest account id, e.g. <c>merchant:{64-char id}:receivable</c> is 84 characters.</summary>
    public const int MaxAccountIdLength = 100;

    /// <summary>Longest book id; a book id is the Table PartitionKey of the book.</summary>
    public const int MaxBookIdLength = 80;

    /// <summary>Longest idempotency key; stored as RowKey <c>idem:{key}</c> in the book's partition.</summary>
    public const int MaxIdempotencyKeyLength = 200;

    /// <summary>RowKey prefix of the idempotency marker entity that makes a key unique within its book.</summary>
    public const string IdempotencyMarkerPrefix = "idem:";

    /// <summary>Longest entry description, in UTF-16 code units (what <see cref="string.Length"/> counts).</summary>
    public const int MaxDescriptionLength = 500;

    /// <summary>Most source references (statement id, Stripe object id, …) one entry may carry.</summary>
    public const int MaxReferencesPerEntry = 16;

    /// <summary>Longest source reference kind, e.g. <c>stripe-event</c>.</summary>
    public const int MaxReferenceKindLength = 32;

    /// <summary>Longest source reference value, e.g. a Stripe id or a statement id.</summary>
    public const int MaxReferenceValueLength = 128;

    /// <summary>
    /// Most postings in one entry. A statement books a handful; the bound exists so that a bug cannot build an entry that
    /// does not fit its entity, and so that sums of amounts cannot overflow (see <see cref="MaxPostingAmount"/>).
    /// </summary>
    public const int MaxPostingsPerEntry = 200;

    /// <summary>Largest amount of one posting, in major units (one trillion); larger amounts are refused, not overflowed.</summary>
    public const decimal MaxPostingAmount = 1_000_000_000_000m;

    /// <summary>
    /// Largest canonical form of a sealed entry, in UTF-8 bytes. A string of N UTF-8 bytes has at most N UTF-16 code units,
    /// so the canonical text always fits one Table string property (<see cref="TableStringPropertyMaxChars"/>) with room to spare.
    /// </summary>
    public const int MaxEntryCanonicalBytes = 32_000;

    /// <summary>Most bytes sealing adds to the content form (the sequence and recorded-at fields and the longer format tag).</summary>
    public const int MaxSealedFieldsBytes = 128;

    /// <summary>Largest canonical content form of a proposed entry; above it the entry is refused with EntryTooLarge.</summary>
    public const int MaxEntryContentBytes = MaxEntryCanonicalBytes - MaxSealedFieldsBytes;

    /// <summary>Worst-case JSON growth of one UTF-16 code unit on the wire (<c>\uXXXX</c> is six bytes).</summary>
    public const int JsonEscapeMaxBytesPerChar = 6;

    /// <summary>Budget for the entry entity's properties besides its canonical text (keys, hashes, copies for filters).</summary>
    public const int EntryEntityOtherPropertiesMaxBytes = 8_192;

    /// <summary>Budget for each small entity of an append: the idempotency marker and the book head.</summary>
    public const int SmallEntityMaxBytes = 4_096;

    /// <summary>Budget for the multipart framing and headers of one operation inside a <c>$batch</c> request.</summary>
    public const int BatchOperationFramingMaxBytes = 2_048;

    /// <summary>Operations in one append: insert entry, insert idempotency marker, replace head.</summary>
    public const int OperationsPerAppend = 3;

    /// <summary>Largest page a store read returns; a Table query returns at most 1,000 entities (azure.md 2.4).</summary>
    public const int MaxPageSize = 1_000;

    /// <summary>Attempts of one append against a head that moved under it (412) before the store gives up.</summary>
    public const int MaxAppendAttempts = 5;

    /// <summary>Most chain problems one verification lists; the rest are counted, not listed.</summary>
    public const int MaxReportedChainProblems = 100;

    /// <summary>Longest actor id recorded on a period closing (who closed it).</summary>
    public const int MaxActorLength = 128;

    /// <summary>First year an effective date may fall in; earlier dates are typing mistakes, not history.</summary>
    public const int MinEffectiveYear = 2000;

    /// <summary>Last year an effective date may fall in.</summary>
    public const int MaxEffectiveYear = 2999;

    /// <summary>Digits of a zero-padded sequence in a RowKey (<see cref="long.MaxValue"/> has 19).</summary>
    public const int SequenceKeyDigits = 19;

    /// <summary>
    /// Most (account, currency) pairs one book may post over its life. The book's head carries its totals per pair, rewritten by
    /// every append; a contract's book posts about ten, a platform book a few dozen. An entry that would post the book's
    /// 1,001st pair is refused with <see cref="LedgerRule.BookHasTooManyAccounts"/>.
    /// </summary>
    public const int MaxAccountsPerBook = 1_000;
}
