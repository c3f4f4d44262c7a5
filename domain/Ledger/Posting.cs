namespace ServiceLedger.Domain.Ledger;

using ServiceLedger.Domain.Money;

/// <summary>
/// One debit or credit of an account. The amount is positive; the side carries the direction. Whether the amount is
/// positive and in whole minor units is checked by <see cref="ProposedEntry.Create"/>, which refuses with a code; only a
/// missing account, side or currency (a bug) throws here. Equality is by account, side and amount (numeric).
/// Ordering (account, side, currency, amount) is the canonical order of an entry's postings.
/// </summary>
public readonly record struct Posting : IComparable<Posting>
{
    /// <summary>A posting; the account, side and currency must be real.</summary>
    public Posting(AccountId account, PostingSide side, Money amount)
    {
        if (account.IsDefault)
        {
            throw new ArgumentException("A posting needs an account; default(AccountId) names none.", nameof(account));
        }

        if (side is not (PostingSide.Debit or PostingSide.Credit))
        {
            throw new ArgumentOutOfRangeException(nameof(side), side, "A posting is a debit or a credit.");
        }

        if (amount.Currency.IsDefault)
        {
            throw new ArgumentException("A posting needs an amount with a currency; default(Money) has none.", nameof(amount));
        }

        Account = account;
        Side = side;
        Amount = amount;
    }

    /// <summary>The account posted.</summary>
    public AccountId Account { get; }

    /// <summary>Debit or credit.</summary>
    public PostingSide Side { get; }

    /// <summary>The positive amount and its currency.</summary>
    public Money Amount { get; }

    /// <summary>The currency of the amount.</summary>
    public Currency Currency => Amount.Currency;

    /// <summary>A debit of the account.</summary>
    public static Posting Debit(AccountId account, Money amount) => new(account, PostingSide.Debit, amount);

    /// <summary>A credit of the account.</summary>
    public static Posting Credit(AccountId account, Money amount) => new(account, PostingSide.Credit, amount);

    /// <summary>The same account and amount on the other side: what a reversal posts.</summary>
    public Posting Reversed() => new(Account, Side.Opposite(), Amount);

    /// <summary>Orders by account, side (debit first), currency code, then amount.</summary>
    public int CompareTo(Posting other)
    {
        var order = Account.CompareTo(other.Account);
        if (order == 0)
        {
            order = Side.CompareTo(other.Side);
        }

        if (order == 0)
        {
            order = string.CompareOrdinal(Currency.Code, other.Currency.Code);
        }

        return order != 0 ? order : Amount.Amount.CompareTo(other.Amount.Amount);
    }

    /// <summary>Canonical order.</summary>
    public static bool operator <(Posting left, Posting right) => left.CompareTo(right) < 0;

    /// <summary>Canonical order.</summary>
    public static bool operator >(Posting left, Posting right) => left.CompareTo(right) > 0;

    /// <summary>Canonical order.</summary>
    public static bool operator <=(Posting left, Posting right) => left.CompareTo(right) <= 0;

    /// <summary>Canonical order.</summary>
    public static bool operator >=(Posting left, Posting right) => left.CompareTo(right) >= 0;

    /// <summary>For example <c>debit platform:bank 100.00 CNY</c>.</summary>
    public override string ToString() => $"{Side.ToWord()} {Account} {Amount}";
}
