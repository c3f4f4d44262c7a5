using System.Globalization;
using NodaTime;

namespace ServiceLedger.Domain.Ledger;

using ServiceLedger.Domain.Money;

/// <summary>The stateless rules of a proposed entry, each adding refusals in input order (see <see cref="ProposedEntry.Create"/>).</summary>
internal static class EntryRules
{
    internal static void CheckEffectiveDate(LocalDate effectiveDate, List<Refusal> refusals)
    {
        if (effectiveDate.Year is < LedgerLimits.MinEffectiveYear or > LedgerLimits.MaxEffectiveYear)
        {
            refusals.Add(new Refusal(
                LedgerRule.EffectiveDateOutOfRange,
                "effectiveDate",
                $"{CanonicalForm.FormatDate(effectiveDate)} is outside the years {LedgerLimits.MinEffectiveYear}..{LedgerLimits.MaxEffectiveYear} the ledger accepts."));
        }
    }

    internal static void CheckDescription(string description, List<Refusal> refusals)
    {
        if (string.IsNullOrWhiteSpace(description))
        {
            refusals.Add(new Refusal(LedgerRule.DescriptionRequired, "description", $"Say what happened, in 1 to {LedgerLimits.MaxDescriptionLength} characters."));
        }
        else if (description.Length > LedgerLimits.MaxDescriptionLength)
        {
            refusals.Add(new Refusal(
                LedgerRule.DescriptionTooLong,
                "description",
                $"The description has {description.Length} characters; at most {LedgerLimits.MaxDescriptionLength} are accepted."));
        }
        else if (!LedgerText.IsPlainText(description))
        {
            refusals.Add(new Refusal(
                LedgerRule.DescriptionMustBePlainText,
                "description",
                "The description may not contain control characters (including line breaks and tabs) or broken UTF-16."));
        }
    }

    internal static void CheckReferences(IReadOnlyList<SourceReference> references, List<Refusal> refusals)
    {
        if (references.Count > LedgerLimits.MaxReferencesPerEntry)
        {
            refusals.Add(new Refusal(
                LedgerRule.TooManyReferences,
                "references",
                $"The entry has {references.Count} references; at most {LedgerLimits.MaxReferencesPerEntry} are accepted."));
            return;
        }

        var seen = new HashSet<SourceReference>();
        for (var index = 0; index < references.Count; index++)
        {
            if (!seen.Add(references[index]))
            {
                refusals.Add(new Refusal(
                    LedgerRule.ReferenceDuplicated,
                    Field("references", index),
                    $"Reference {references[index]} appears more than once."));
            }
        }
    }

    internal static void CheckPostings(IReadOnlyList<Posting> postings, List<Refusal> refusals)
    {
        if (postings.Count == 0)
        {
            refusals.Add(new Refusal(
                LedgerRule.EntryMustHavePostings,
                "postings",
                "An entry needs postings: at least one debit and one credit that balance in each currency."));
            return;
        }

        if (postings.Count > LedgerLimits.MaxPostingsPerEntry)
        {
            refusals.Add(new Refusal(
                LedgerRule.TooManyPostings,
                "postings",
                $"The entry has {postings.Count} postings; at most {LedgerLimits.MaxPostingsPerEntry} are accepted. Split it into several entries."));
            return;
        }

        var countBefore = refusals.Count;
        for (var index = 0; index < postings.Count; index++)
        {
            CheckAmount(postings[index], Field("postings", index) + ".amount", refusals);
        }

        CheckAccountCurrencies(postings, refusals);

        // Sums of invalid amounts would only restate the same mistake, so balance is judged on valid postings alone.
        if (refusals.Count == countBefore)
        {
            CheckBalance(postings, refusals);
        }
    }

    private static void CheckAmount(Posting posting, string field, List<Refusal> refusals)
    {
        var amount = posting.Amount;
        if (amount.Amount <= 0m)
        {
            refusals.Add(new Refusal(
                LedgerRule.AmountMustBePositive,
                field,
                $"{amount} is not positive; post a positive amount and say debit or credit."));
        }
        else if (amount.Amount > LedgerLimits.MaxPostingAmount)
        {
            refusals.Add(new Refusal(
                LedgerRule.AmountTooLarge,
                field,
                $"{amount} exceeds the largest posting the ledger accepts, {LedgerLimits.MaxPostingAmount.ToString("F0", CultureInfo.InvariantCulture)} {amount.Currency}."));
        }
        else if (!amount.IsWholeMinorUnits)
        {
            refusals.Add(new Refusal(
                LedgerRule.AmountHasDigitsBeyondMinorUnit,
                field,
                $"{amount} has digits beyond the minor unit of {amount.Currency} ({amount.Currency.MinorUnit.ToString(CultureInfo.InvariantCulture)}); round it first."));
        }
    }

    private static void CheckAccountCurrencies(IReadOnlyList<Posting> postings, List<Refusal> refusals)
    {
        var first = new Dictionary<AccountId, (Currency Currency, int Index)>();
        for (var index = 0; index < postings.Count; index++)
        {
            var posting = postings[index];
            if (!posting.Account.IsSingleCurrency)
            {
                continue;
            }

            if (!first.TryGetValue(posting.Account, out var earlier))
            {
                first[posting.Account] = (posting.Currency, index);
            }
            else if (earlier.Currency != posting.Currency)
            {
                refusals.Add(new Refusal(
                    LedgerRule.AccountCurrencyMismatch,
                    Field("postings", index) + ".amount",
                    $"Account {posting.Account} is posted in {earlier.Currency} at {Field("postings", earlier.Index)} and in {posting.Currency} here; "
                    + "a merchant or vendor account keeps one currency."));
            }
        }
    }

    private static void CheckBalance(IReadOnlyList<Posting> postings, List<Refusal> refusals)
    {
        var totals = new SortedDictionary<string, (Currency Currency, decimal Debits, decimal Credits)>(StringComparer.Ordinal);
        foreach (var posting in postings)
        {
            var (currency, debits, credits) = totals.TryGetValue(posting.Currency.Code, out var total) ? total : (posting.Currency, 0m, 0m);
            totals[posting.Currency.Code] = posting.Side == PostingSide.Debit
                ? (currency, debits + posting.Amount.Amount, credits)
                : (currency, debits, credits + posting.Amount.Amount);
        }

        foreach (var (_, (currency, debits, credits)) in totals)
        {
            if (debits != credits)
            {
                refusals.Add(new Refusal(
                    LedgerRule.EntryMustBalancePerCurrency,
                    "postings",
                    $"{currency} debits {new Money(debits, currency).FormatAmount()} do not equal {currency} credits "
                    + $"{new Money(credits, currency).FormatAmount()}; each currency must balance on its own."));
            }
        }
    }

    private static string Field(string list, int index) => $"{list}[{index.ToString(CultureInfo.InvariantCulture)}]";
}
