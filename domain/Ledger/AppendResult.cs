using NodaTime;

namespace ServiceLedger.Domain.Ledger;

using ServiceLedger.Domain.Money;

/// <summary>The outcome of appending a proposed entry: appended now, appended before under the same key, or refused.</summary>
public abstract record AppendResult
{
    private AppendResult()
    {
    }

    /// <summary>The entry was appended by this call.</summary>
    /// <param name="Entry">The sealed entry as stored.</param>
    public sealed record Appended(JournalEntry Entry) : AppendResult;

    /// <summary>The book already holds an entry with this key and the same request hash; nothing was written.</summary>
    /// <param name="Entry">The entry appended the first time.</param>
    public sealed record AlreadyAppended(JournalEntry Entry) : AppendResult;

    /// <summary>The entry was refused; nothing was written.</summary>
    /// <param name="Refusals">Why, in rule order.</param>
    public sealed record Refused(IReadOnlyList<Refusal> Refusals) : AppendResult;
}

/// <summary>What a store should do with a proposed entry, decided purely from what it has read (see <see cref="AppendDecision"/>).</summary>
public abstract record AppendPlan
{
    private AppendPlan()
    {
    }

    /// <summary>Write nothing and answer <paramref name="Result"/>.</summary>
    /// <param name="Result">Already appended, or refused.</param>
    public sealed record Finish(AppendResult Result) : AppendPlan;

    /// <summary>
    /// Write, in one entity-group transaction of the book's partition: insert <paramref name="Entry"/> (RowKey = zero-padded
    /// sequence), insert the idempotency marker (RowKey <c>idem:{key}</c>, holding the sequence and request hash) and replace
    /// the head with <paramref name="NextHead"/> under <c>If-Match</c> of the head that was read. Before that, record each of
    /// <paramref name="NewCurrencyBindings"/> insert-if-absent; a binding that exists with another currency means the entry
    /// is refused with <see cref="LedgerRule.AccountCurrencyMismatch"/>.
    /// </summary>
    /// <param name="Entry">The sealed entry.</param>
    /// <param name="NextHead">The head after the entry.</param>
    /// <param name="NewCurrencyBindings">Single-currency accounts this entry posts for the first time, with their currency.</param>
    public sealed record Write(JournalEntry Entry, BookHead NextHead, IReadOnlyList<KeyValuePair<AccountId, Currency>> NewCurrencyBindings) : AppendPlan;
}

/// <summary>
/// The store's append decision as a pure function, so every adapter decides the same way and the rules are unit-tested:
/// idempotency first (a retry after a period closed still gets its first result), then ledger state, then sealing.
/// </summary>
public static class AppendDecision
{
    /// <summary>
    /// Same key, same request hash: <see cref="AppendResult.AlreadyAppended"/>; same key, other content:
    /// <see cref="AppendResult.Refused"/> with <see cref="LedgerRule.ExistsWithDifferentContent"/>.
    /// </summary>
    public static AppendResult ForExistingKey(ProposedEntry proposed, JournalEntry existing)
    {
        ArgumentNullException.ThrowIfNull(proposed);
        ArgumentNullException.ThrowIfNull(existing);
        if (existing.Book != proposed.Book || existing.IdempotencyKey != proposed.IdempotencyKey)
        {
            throw new ArgumentException($"Entry {existing.Id} does not hold key {proposed.IdempotencyKey} of book {proposed.Book}.", nameof(existing));
        }

        return existing.RequestHash == proposed.RequestHash
            ? new AppendResult.AlreadyAppended(existing)
            : new AppendResult.Refused([new Refusal(
                LedgerRule.ExistsWithDifferentContent,
                "idempotencyKey",
                $"Key {proposed.IdempotencyKey} was used for entry {existing.Id} with different content (request hash {existing.RequestHash.Hex}, "
                + $"this request {proposed.RequestHash.Hex}). Derive a new key for a new fact, e.g. the next statement version.")]);
    }

    /// <summary>Decides what to do with <paramref name="proposed"/> given what the store read.</summary>
    /// <param name="proposed">The entry to append.</param>
    /// <param name="existingWithSameKey">The entry of the book that holds the same idempotency key, if any.</param>
    /// <param name="head">The book's head as read (with its ETag kept by the adapter for If-Match).</param>
    /// <param name="periods">The closed periods as read.</param>
    /// <param name="accountCurrencies">The currencies held by the single-currency accounts the entry posts, as read.</param>
    /// <param name="recordedAt">Now, from the injected clock.</param>
    public static AppendPlan Decide(
        ProposedEntry proposed,
        JournalEntry? existingWithSameKey,
        BookHead head,
        AccountingPeriods periods,
        IReadOnlyDictionary<AccountId, Currency> accountCurrencies,
        Instant recordedAt)
    {
        ArgumentNullException.ThrowIfNull(proposed);
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(periods);
        ArgumentNullException.ThrowIfNull(accountCurrencies);
        if (existingWithSameKey is not null)
        {
            return new AppendPlan.Finish(ForExistingKey(proposed, existingWithSameKey));
        }

        var refusals = proposed.CheckAgainst(periods, accountCurrencies);
        if (refusals.Count > 0)
        {
            return new AppendPlan.Finish(new AppendResult.Refused(refusals));
        }

        var entry = JournalEntry.Seal(proposed, head, recordedAt);
        var newBindings = proposed.CurrencyBindings().Where(binding => !accountCurrencies.ContainsKey(binding.Key)).ToArray();
        return new AppendPlan.Write(entry, head.After(entry), newBindings);
    }
}
