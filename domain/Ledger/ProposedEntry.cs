using System.Collections.Immutable;
using NodaTime;

namespace ServiceLedger.Domain.Ledger;

using ServiceLedger.Domain.Money;

/// <summary>
/// A journal entry before the store appends it: book, idempotency key, effective date, description, source references,
/// the entry it reverses (if any) and postings — everything except the sequence, previous hash and recorded-at that the
/// store assigns when it seals the entry (<see cref="JournalEntry.Seal"/>). Built only through <see cref="Create"/>, so a
/// proposed entry always balances per currency and respects every limit. Postings and references are kept in canonical
/// order (sorted), so the same content always gives the same <see cref="RequestHash"/>, whatever order a builder used.
/// Equality is by reference; compare <see cref="RequestHash"/> for content.
/// </summary>
public sealed class ProposedEntry
{
    private ProposedEntry(
        BookId book,
        IdempotencyKey idempotencyKey,
        LocalDate effectiveDate,
        string description,
        ImmutableArray<SourceReference> references,
        JournalEntryId? reverses,
        ImmutableArray<Posting> postings)
    {
        Book = book;
        IdempotencyKey = idempotencyKey;
        EffectiveDate = effectiveDate;
        Description = description;
        References = references;
        Reverses = reverses;
        Postings = postings;
        var contentBytes = CanonicalForm.ContentBytes(this);
        ContentByteCount = contentBytes.Length;
        RequestHash = EntryHash.Of(contentBytes);
    }

    /// <summary>The book the entry is for.</summary>
    public BookId Book { get; }

    /// <summary>The key derived from the entry's cause; unique within the book.</summary>
    public IdempotencyKey IdempotencyKey { get; }

    /// <summary>The accounting date: which day (and so which period) the entry belongs to.</summary>
    public LocalDate EffectiveDate { get; }

    /// <summary>What happened, for people; plain text.</summary>
    public string Description { get; }

    /// <summary>What caused the entry outside the ledger, sorted by kind then value.</summary>
    public IReadOnlyList<SourceReference> References { get; }

    /// <summary>The entry this one reverses, in the same book; null for an ordinary entry.</summary>
    public JournalEntryId? Reverses { get; }

    /// <summary>The postings, in canonical order (account, side, currency, amount); at least two, balanced per currency.</summary>
    public IReadOnlyList<Posting> Postings { get; }

    /// <summary>SHA-256 of the canonical content form: equal for the same content, so "same key, same content" is decidable.</summary>
    public EntryHash RequestHash { get; }

    /// <summary>Size of the canonical content form, in UTF-8 bytes.</summary>
    public int ContentByteCount { get; }

    /// <summary>
    /// Checks a proposed entry against every rule that needs no ledger state and returns it, or the refusals in rule order:
    /// effective date range, description, references, reversal book, posting count, each posting's amount, account currencies
    /// within the entry, balance per currency, size. Balance is only checked once every posting is valid on its own.
    /// </summary>
    /// <param name="book">The book to append to.</param>
    /// <param name="idempotencyKey">The key derived from the cause.</param>
    /// <param name="effectiveDate">The accounting date (ISO calendar).</param>
    /// <param name="description">What happened; 1 to <see cref="LedgerLimits.MaxDescriptionLength"/> characters of plain text.</param>
    /// <param name="postings">Two or more postings; the index of each is the <c>postings[i]</c> of its refusals.</param>
    /// <param name="references">Source references; none is fine.</param>
    /// <param name="reverses">The entry this one reverses, in the same book; prefer <see cref="JournalEntry.Reverse"/>.</param>
    public static Validated<ProposedEntry> Create(
        BookId book,
        IdempotencyKey idempotencyKey,
        LocalDate effectiveDate,
        string description,
        IReadOnlyList<Posting> postings,
        IReadOnlyList<SourceReference>? references = null,
        JournalEntryId? reverses = null)
    {
        RequireStructure(book, idempotencyKey, effectiveDate, description, postings, references);
        references ??= [];

        var refusals = new List<Refusal>();
        EntryRules.CheckEffectiveDate(effectiveDate, refusals);
        EntryRules.CheckDescription(description, refusals);
        EntryRules.CheckReferences(references, refusals);
        if (reverses is { } reversed && reversed.Book != book)
        {
            refusals.Add(new Refusal(
                LedgerRule.ReversalMustBeInSameBook,
                "reverses",
                $"Entry {reversed} is in book {reversed.Book}; its reversal must be appended to that book, not to {book}."));
        }

        EntryRules.CheckPostings(postings, refusals);
        if (refusals.Count > 0)
        {
            return Validated.Refused<ProposedEntry>(refusals);
        }

        var entry = new ProposedEntry(book, idempotencyKey, effectiveDate, description, Sorted(references), reverses, Sorted(postings));
        if (entry.ContentByteCount > LedgerLimits.MaxEntryContentBytes)
        {
            return Validated.Refused<ProposedEntry>(new Refusal(
                LedgerRule.EntryTooLarge,
                "postings",
                $"The entry's canonical form is {entry.ContentByteCount} bytes; at most {LedgerLimits.MaxEntryContentBytes} fit one "
                + $"ledger entity (a Table entity holds 1 MiB and a string property 64 KiB). Split it into several entries."));
        }

        return Validated.Valid(entry);
    }

    /// <summary>
    /// Rebuilds the content of a stored entry without applying business rules, so that entries written under older limits stay
    /// readable. For store adapters and <see cref="CanonicalForm.ParseEntry"/> only; new entries go through <see cref="Create"/>.
    /// Postings and references are put in canonical order.
    /// </summary>
    public static ProposedEntry Restore(
        BookId book,
        IdempotencyKey idempotencyKey,
        LocalDate effectiveDate,
        string description,
        IReadOnlyList<Posting> postings,
        IReadOnlyList<SourceReference> references,
        JournalEntryId? reverses)
    {
        RequireStructure(book, idempotencyKey, effectiveDate, description, postings, references);
        return new ProposedEntry(book, idempotencyKey, effectiveDate, description, Sorted(references), reverses, Sorted(postings));
    }

    /// <summary>
    /// Checks the entry against ledger state the caller or store has read: the effective date must fall in an open period,
    /// and each single-currency account must be posted in the currency it already holds (<paramref name="accountCurrencies"/>;
    /// an account absent from it holds none yet and takes the currency of this entry). Empty when the entry may be appended.
    /// </summary>
    public IReadOnlyList<Refusal> CheckAgainst(AccountingPeriods periods, IReadOnlyDictionary<AccountId, Currency> accountCurrencies)
    {
        ArgumentNullException.ThrowIfNull(periods);
        ArgumentNullException.ThrowIfNull(accountCurrencies);
        var refusals = new List<Refusal>();
        if (periods.CheckEffectiveDate(EffectiveDate, "effectiveDate") is { } closed)
        {
            refusals.Add(closed);
        }

        foreach (var (account, currency) in CurrencyBindings())
        {
            if (accountCurrencies.TryGetValue(account, out var held) && held != currency)
            {
                refusals.Add(new Refusal(
                    LedgerRule.AccountCurrencyMismatch,
                    "postings",
                    $"Account {account} holds {held}; this entry posts it in {currency}. A merchant or vendor account keeps one currency for life."));
            }
        }

        return refusals;
    }

    /// <summary>The single-currency accounts this entry posts, each with its currency, ordered by account.</summary>
    public IReadOnlyList<KeyValuePair<AccountId, Currency>> CurrencyBindings() =>
        Postings.Where(posting => posting.Account.IsSingleCurrency)
            .Select(posting => KeyValuePair.Create(posting.Account, posting.Currency))
            .Distinct()
            .ToArray();

    /// <summary>For example <c>contract:ctr_42 statement:ctr_42:2027-03:v1 2027-03-31 (3 postings)</c>.</summary>
    public override string ToString() => $"{Book} {IdempotencyKey} {CanonicalForm.FormatDate(EffectiveDate)} ({Postings.Count} postings)";

    // Missing values are bugs in the calling code, not input to refuse: every typed value was parsed before it got here.
    private static void RequireStructure(
        BookId book,
        IdempotencyKey idempotencyKey,
        LocalDate effectiveDate,
        string description,
        IReadOnlyList<Posting> postings,
        IReadOnlyList<SourceReference>? references)
    {
        if (book.IsDefault)
        {
            throw new ArgumentException("An entry needs a book; default(BookId) names none.", nameof(book));
        }

        if (idempotencyKey.IsDefault)
        {
            throw new ArgumentException("An entry needs an idempotency key; default(IdempotencyKey) names none.", nameof(idempotencyKey));
        }

        if (effectiveDate.Calendar != CalendarSystem.Iso)
        {
            throw new ArgumentException($"Effective dates are ISO dates; got a {effectiveDate.Calendar.Id} date.", nameof(effectiveDate));
        }

        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(postings);
        if (references is not null && references.Any(reference => reference.IsDefault))
        {
            throw new ArgumentException("default(SourceReference) is no reference.", nameof(references));
        }

        if (postings.Any(posting => posting.Account.IsDefault))
        {
            throw new ArgumentException("default(Posting) posts no account.", nameof(postings));
        }
    }

    private static ImmutableArray<T> Sorted<T>(IEnumerable<T> items)
        where T : IComparable<T> => [.. items.Order()];
}
