namespace ServiceLedger.Domain.Ledger;

using ServiceLedger.Domain.Money;

/// <summary>
/// The debit and credit totals of one account in one currency. <see cref="Net"/> is debit-positive;
/// <see cref="Balance"/> is signed on the account's normal side (a merchant's receivable of 100 is +100, a vendor's
/// payable of 100 is +100 too). Equality is by account and amounts.
/// </summary>
public sealed record AccountBalance
{
    /// <summary>Totals of an account in one currency; both totals in the same currency, neither negative.</summary>
    public AccountBalance(AccountId account, Money debits, Money credits)
    {
        if (account.IsDefault)
        {
            throw new ArgumentException("A balance needs an account.", nameof(account));
        }

        if (debits.Currency != credits.Currency || debits.Currency.IsDefault)
        {
            throw new ArgumentException($"Debits ({debits}) and credits ({credits}) of one balance share one currency.", nameof(credits));
        }

        if (debits.IsNegative || credits.IsNegative)
        {
            throw new ArgumentException($"Totals are sums of positive postings; got debits {debits}, credits {credits}.", nameof(debits));
        }

        Account = account;
        Debits = debits;
        Credits = credits;
    }

    /// <summary>The account.</summary>
    public AccountId Account { get; }

    /// <summary>Sum of debit postings.</summary>
    public Money Debits { get; }

    /// <summary>Sum of credit postings.</summary>
    public Money Credits { get; }

    /// <summary>The currency.</summary>
    public Currency Currency => Debits.Currency;

    /// <summary>Debits minus credits.</summary>
    public Money Net => Debits - Credits;

    /// <summary>The balance on the account's normal side: debits − credits for assets and expenses, credits − debits otherwise.</summary>
    public Money Balance => Account.Type.NormalBalance() == PostingSide.Debit ? Net : -Net;

    /// <summary>True when debits equal credits.</summary>
    public bool IsZero => Net.IsZero;

    /// <summary>Zero totals for an account in a currency.</summary>
    public static AccountBalance Zero(AccountId account, Currency currency) => new(account, Money.Zero(currency), Money.Zero(currency));

    /// <summary>The totals after one more posting of this account and currency.</summary>
    public AccountBalance Add(Posting posting)
    {
        if (posting.Account != Account || posting.Currency != Currency)
        {
            throw new ArgumentException($"Posting {posting} is not of {Account} in {Currency}.", nameof(posting));
        }

        return posting.Side == PostingSide.Debit
            ? new AccountBalance(Account, Debits + posting.Amount, Credits)
            : new AccountBalance(Account, Debits, Credits + posting.Amount);
    }

    /// <summary>For example <c>merchant:mer_1:receivable CNY Dr 100.00 Cr 40.00</c>.</summary>
    public override string ToString() => $"{Account} {Currency} Dr {Debits.FormatAmount()} Cr {Credits.FormatAmount()}";
}
