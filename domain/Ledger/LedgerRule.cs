namespace ServiceLedger.Domain.Ledger;

/// <summary>
/// The ledger's refusal codes: rule-shaped names in the order the rules are checked (after TigerBeetle's
/// <c>CreateTransferStatus</c>). Clients may switch on them; a code is never renamed or reused for another rule.
/// </summary>
public static class LedgerRule
{
    /// <summary>An account id does not parse: unknown kind, bad party id, unsafe characters or too long.</summary>
    public const string AccountIdInvalid = nameof(AccountIdInvalid);

    /// <summary>A book id does not parse.</summary>
    public const string BookIdInvalid = nameof(BookIdInvalid);

    /// <summary>An idempotency key is empty, too long, or has characters a Table RowKey cannot carry.</summary>
    public const string IdempotencyKeyInvalid = nameof(IdempotencyKeyInvalid);

    /// <summary>A source reference has a malformed kind or value.</summary>
    public const string ReferenceInvalid = nameof(ReferenceInvalid);

    /// <summary>The effective date lies outside the years the ledger accepts.</summary>
    public const string EffectiveDateOutOfRange = nameof(EffectiveDateOutOfRange);

    /// <summary>The entry has no description.</summary>
    public const string DescriptionRequired = nameof(DescriptionRequired);

    /// <summary>The description is longer than <see cref="LedgerLimits.MaxDescriptionLength"/>.</summary>
    public const string DescriptionTooLong = nameof(DescriptionTooLong);

    /// <summary>The description has control characters or broken UTF-16 (unpaired surrogates), which would not hash stably.</summary>
    public const string DescriptionMustBePlainText = nameof(DescriptionMustBePlainText);

    /// <summary>The entry carries more than <see cref="LedgerLimits.MaxReferencesPerEntry"/> source references.</summary>
    public const string TooManyReferences = nameof(TooManyReferences);

    /// <summary>The same source reference appears twice.</summary>
    public const string ReferenceDuplicated = nameof(ReferenceDuplicated);

    /// <summary>A reversal names an entry of another book; a reversal is appended to the book of the entry it reverses.</summary>
    public const string ReversalMustBeInSameBook = nameof(ReversalMustBeInSameBook);

    /// <summary>The entry has no postings.</summary>
    public const string EntryMustHavePostings = nameof(EntryMustHavePostings);

    /// <summary>The entry has more than <see cref="LedgerLimits.MaxPostingsPerEntry"/> postings.</summary>
    public const string TooManyPostings = nameof(TooManyPostings);

    /// <summary>A posting amount is zero or negative; the side (debit or credit) carries the direction.</summary>
    public const string AmountMustBePositive = nameof(AmountMustBePositive);

    /// <summary>A posting amount has digits beyond its currency's minor unit (e.g. 1.005 CNY); the same code as Money's.</summary>
    public const string AmountHasDigitsBeyondMinorUnit = Money.MoneyRule.AmountHasDigitsBeyondMinorUnit;

    /// <summary>A posting amount exceeds <see cref="LedgerLimits.MaxPostingAmount"/>; the same code as Money's.</summary>
    public const string AmountTooLarge = Money.MoneyRule.AmountTooLarge;

    /// <summary>A single-currency account is posted in a currency other than its own (or in two currencies in one entry).</summary>
    public const string AccountCurrencyMismatch = nameof(AccountCurrencyMismatch);

    /// <summary>For some currency, the entry's debits do not equal its credits.</summary>
    public const string EntryMustBalancePerCurrency = nameof(EntryMustBalancePerCurrency);

    /// <summary>The entry's canonical form exceeds <see cref="LedgerLimits.MaxEntryContentBytes"/>.</summary>
    public const string EntryTooLarge = nameof(EntryTooLarge);

    /// <summary>The effective date falls in a closed accounting period; the message names the first open period.</summary>
    public const string EffectiveDateInClosedPeriod = nameof(EffectiveDateInClosedPeriod);

    /// <summary>The idempotency key was used in this book before for an entry with different content.</summary>
    public const string ExistsWithDifferentContent = nameof(ExistsWithDifferentContent);

    /// <summary>The entry would make its book post more than <see cref="LedgerLimits.MaxAccountsPerBook"/> (account, currency) pairs.</summary>
    public const string BookHasTooManyAccounts = nameof(BookHasTooManyAccounts);

    /// <summary>The period to close is already closed.</summary>
    public const string PeriodAlreadyClosed = nameof(PeriodAlreadyClosed);

    /// <summary>The period to close is not the first open period; periods close in order.</summary>
    public const string PeriodMustBeFirstOpen = nameof(PeriodMustBeFirstOpen);

    /// <summary>The period to close has not ended yet.</summary>
    public const string PeriodMustHaveEnded = nameof(PeriodMustHaveEnded);

    /// <summary>The closing does not say who closed the period, or says it with unsafe characters.</summary>
    public const string ClosedByInvalid = nameof(ClosedByInvalid);

    /// <summary>A page size is outside 1..<see cref="LedgerLimits.MaxPageSize"/>.</summary>
    public const string PageSizeOutOfRange = nameof(PageSizeOutOfRange);
}
