using NodaTime.Text;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Functions.Contracts;
using ServiceLedger.Functions.Ledger;

namespace ServiceLedger.Functions.Apis;

/// <summary>A page of a list and the token for the next page (null when this is the last).</summary>
public sealed record PageView<T>(IReadOnlyList<T> Items, string? ContinuationToken);

/// <summary>One posting on the wire.</summary>
public sealed record PostingView(string Account, string Side, MoneyView Amount)
{
    /// <summary>The wire form of <paramref name="posting"/>.</summary>
    public static PostingView Of(Posting posting) => new(posting.Account.Value, posting.Side == PostingSide.Debit ? "debit" : "credit", MoneyView.Of(posting.Amount));
}

/// <summary>A source reference on the wire.</summary>
public sealed record ReferenceView(string Kind, string Value);

/// <summary>A journal entry on the wire, with its hashes so a client can check the chain.</summary>
public sealed record EntryView(
    string Book,
    long Sequence,
    string RecordedAt,
    string EffectiveDate,
    string IdempotencyKey,
    string Description,
    string? Reverses,
    IReadOnlyList<ReferenceView> References,
    IReadOnlyList<PostingView> Postings,
    string PreviousHash,
    string Hash)
{
    /// <summary>The wire form of <paramref name="entry"/>.</summary>
    public static EntryView Of(JournalEntry entry) => new(
        entry.Book.Value,
        entry.Sequence,
        InstantPattern.ExtendedIso.Format(entry.RecordedAt),
        LocalDatePattern.Iso.Format(entry.EffectiveDate),
        entry.IdempotencyKey.Value,
        entry.Description,
        entry.Reverses?.ToString(),
        entry.References.Select(reference => new ReferenceView(reference.Kind, reference.Value)).ToArray(),
        entry.Postings.Select(PostingView.Of).ToArray(),
        entry.PreviousHash.Hex,
        entry.Hash.Hex);
}

/// <summary>One posting of an account with the entry it belongs to.</summary>
public sealed record AccountPostingView(string Book, long Sequence, string EffectiveDate, string RecordedAt, string Description, string Side, MoneyView Amount)
{
    /// <summary>The wire form of a posting of <paramref name="entry"/>.</summary>
    public static AccountPostingView Of(JournalEntry entry, Posting posting) => new(
        entry.Book.Value,
        entry.Sequence,
        LocalDatePattern.Iso.Format(entry.EffectiveDate),
        InstantPattern.ExtendedIso.Format(entry.RecordedAt),
        entry.Description,
        posting.Side == PostingSide.Debit ? "debit" : "credit",
        MoneyView.Of(posting.Amount));
}

/// <summary>An account's totals in one currency; <c>Balance</c> is signed on the account's normal side.</summary>
public sealed record BalanceView(MoneyView Debits, MoneyView Credits, MoneyView Balance)
{
    /// <summary>The wire form of <paramref name="balance"/>.</summary>
    public static BalanceView Of(AccountBalance balance) => new(MoneyView.Of(balance.Debits), MoneyView.Of(balance.Credits), MoneyView.Of(balance.Balance));
}

/// <summary>An account's balances, one per currency; <c>AsOf</c> is null for the current (projected) balances.</summary>
public sealed record AccountBalancesView(string Account, string? AsOf, IReadOnlyList<BalanceView> Balances);

/// <summary>One line of a trial balance.</summary>
public sealed record TrialBalanceLineView(string Account, MoneyView Opening, MoneyView Debits, MoneyView Credits, MoneyView Closing);

/// <summary>The totals of a trial balance in one currency.</summary>
public sealed record TrialBalanceTotalView(string Currency, MoneyView Debits, MoneyView Credits, bool IsBalanced);

/// <summary>A trial balance on the wire with its report hash (the one a period closing records).</summary>
public sealed record TrialBalanceView(string Period, bool IsBalanced, string ReportHash, IReadOnlyList<TrialBalanceLineView> Lines, IReadOnlyList<TrialBalanceTotalView> Totals)
{
    /// <summary>The wire form of <paramref name="report"/>.</summary>
    public static TrialBalanceView Of(TrialBalance report) => new(
        YearMonthPattern.Iso.Format(report.Period),
        report.IsBalanced,
        report.ReportHash.Hex,
        report.Lines.Select(line => new TrialBalanceLineView(line.Account.Value, MoneyView.Of(line.Opening), MoneyView.Of(line.PeriodDebits), MoneyView.Of(line.PeriodCredits), MoneyView.Of(line.Closing))).ToArray(),
        report.Totals.Select(total => new TrialBalanceTotalView(total.Currency.Code, MoneyView.Of(total.PeriodDebits), MoneyView.Of(total.PeriodCredits), total.IsBalanced)).ToArray());
}

/// <summary>A broken link of a chain.</summary>
public sealed record ChainProblemView(string Kind, string Book, long Sequence, string Expected, string Found, string Message);

/// <summary>The verification of every book: intact or the first broken link, and per book the counts.</summary>
public sealed record VerificationView(bool IsIntact, ChainProblemView? FirstProblem, IReadOnlyList<BookVerificationView> Books)
{
    /// <summary>The wire form of <paramref name="verification"/>.</summary>
    public static VerificationView Of(LedgerVerification verification) => new(
        verification.IsIntact,
        verification.FirstProblem is { } problem ? Problem(problem) : null,
        verification.Books.Select(book => new BookVerificationView(book.Book.Value, book.EntriesChecked, book.ProblemCount, book.Problems.Select(Problem).ToArray())).ToArray());

    private static ChainProblemView Problem(ChainProblem problem) =>
        new(problem.Kind.ToString(), problem.Book.Value, problem.Sequence, problem.Expected, problem.Found, problem.Message);
}

/// <summary>One book's verification.</summary>
public sealed record BookVerificationView(string Book, long EntriesChecked, long ProblemCount, IReadOnlyList<ChainProblemView> Problems);

/// <summary>A recorded period closing.</summary>
public sealed record PeriodClosingView(string Period, string ClosedBy, string ClosedAt, string ReportHash, string Hash)
{
    /// <summary>The wire form of <paramref name="closing"/>.</summary>
    public static PeriodClosingView Of(PeriodClosing closing) => new(
        YearMonthPattern.Iso.Format(closing.Period), closing.ClosedBy, InstantPattern.ExtendedIso.Format(closing.ClosedAt), closing.ReportHash.Hex, closing.Hash.Hex);
}
