using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;
using NodaTime.Text;
using ServiceLedger.Domain;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Functions.Auth;
using ServiceLedger.Functions.Errors;
using ServiceLedger.Functions.Ledger;

namespace ServiceLedger.Functions.Apis;

/// <summary>
/// The ledger over HTTP (DESIGN.md section 8): finance reads books, balances and the trial balance, runs verify and closes
/// periods; a merchant or vendor reads the balances and postings of its own accounts only (another party's account is 404).
/// Endpoints parse, authorise, call <see cref="LedgerService"/> and map the result; money is <c>{amount: "12.34", currency}</c>.
/// </summary>
public static class LedgerApi
{
    /// <summary>Code of a query value that is not an ISO date.</summary>
    public const string DateInvalid = nameof(DateInvalid);

    /// <summary>Code of a continuation token the ledger did not issue.</summary>
    public const string ContinuationTokenInvalid = nameof(ContinuationTokenInvalid);

    /// <summary>Default page size of entry lists.</summary>
    public const int DefaultPageSize = 100;

    /// <summary>Maps the ledger endpoints under /api/ledger.</summary>
    public static IEndpointRouteBuilder MapLedgerApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var ledger = app.MapGroup("/api/ledger").WithTags("Ledger");

        ledger.MapGet("/books/{bookId}/entries", ReadEntriesAsync)
            .WithName("LedgerEntries")
            .WithSummary("A book's entries by sequence (fromSequence) or effective date (from, to), paged.")
            .RequireRoles(CallerRole.Finance);
        ledger.MapGet("/accounts/{accountId}/balance", ReadBalanceAsync)
            .WithName("LedgerAccountBalance")
            .WithSummary("An account's balances per currency: current (projection) or as of a date (journal).")
            .RequireRoles(CallerRole.Finance, CallerRole.Merchant, CallerRole.Vendor);
        ledger.MapGet("/accounts/{accountId}/postings", ReadPostingsAsync)
            .WithName("LedgerAccountPostings")
            .WithSummary("An account's postings with their entries, paged.")
            .RequireRoles(CallerRole.Finance, CallerRole.Merchant, CallerRole.Vendor);
        ledger.MapGet("/trial-balance", TrialBalanceAsync)
            .WithName("LedgerTrialBalance")
            .WithSummary("The trial balance of a month per account and currency.")
            .RequireRoles(CallerRole.Finance);
        ledger.MapPost("/verify", VerifyAsync)
            .WithName("LedgerVerify")
            .WithSummary("Walks every book's hash chain and reports the first broken link.")
            .RequireRoles(CallerRole.Finance);
        ledger.MapPost("/periods/{period}/close", ClosePeriodAsync)
            .WithName("LedgerClosePeriod")
            .WithSummary("Closes an accounting month; recorded, chained, never reopened.")
            .RequireRoles(CallerRole.Finance);
        return app;
    }

    private static async Task<Results<Ok<PageView<EntryView>>, ProblemHttpResult>> ReadEntriesAsync(
        string bookId, long? fromSequence, string? from, string? to, int? pageSize, string? continuationToken, LedgerService ledger, CancellationToken cancellationToken)
    {
        var refusals = new List<Refusal>();
        var book = Collect(BookId.Parse(bookId, "bookId"), refusals);
        var page = Collect(PageRequest.Create(pageSize ?? DefaultPageSize, continuationToken), refusals);
        var first = ParseDate(from, "from", refusals);
        var last = ParseDate(to, "to", refusals);
        if (fromSequence is < 1)
        {
            refusals.Add(new Refusal(LedgerRule.PageSizeOutOfRange, "fromSequence", "fromSequence starts at 1."));
        }

        if (first is { } start && last is { } end && end < start)
        {
            refusals.Add(new Refusal(DateInvalid, "to", "'to' must not be before 'from'."));
        }

        if (refusals.Count > 0)
        {
            return ApiProblems.Refused(refusals);
        }

        try
        {
            var read = first is not null || last is not null
                ? await ledger.ReadEntriesByEffectiveDateAsync(
                    book, new DateInterval(first ?? new LocalDate(LedgerLimits.MinEffectiveYear, 1, 1), last ?? new LocalDate(LedgerLimits.MaxEffectiveYear, 12, 31)), page, cancellationToken).ConfigureAwait(false)
                : await ledger.ReadEntriesAsync(book, new SequenceRange(fromSequence ?? 1, long.MaxValue), page, cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok(new PageView<EntryView>(read.Items.Select(EntryView.Of).ToArray(), read.ContinuationToken));
        }
        catch (ArgumentException)
        {
            return ApiProblems.Refused(new Refusal(ContinuationTokenInvalid, "continuationToken", "Pass back the continuationToken of the previous page of the same query, unchanged."));
        }
    }

    private static async Task<Results<Ok<AccountBalancesView>, ProblemHttpResult>> ReadBalanceAsync(
        string accountId, string? asOf, CallerContext caller, LedgerService ledger, CancellationToken cancellationToken)
    {
        var refusals = new List<Refusal>();
        var date = ParseDate(asOf, "asOf", refusals);
        if (!AccountId.TryParse(accountId, out var account) || !MayRead(caller, account))
        {
            // An account the caller may not see is answered like one that does not exist.
            return AccountId.TryParse(accountId, out _) ? ApiProblems.NotFound("account") : ApiProblems.Refused(AccountId.Parse(accountId, "accountId").Refusals);
        }

        if (refusals.Count > 0)
        {
            return ApiProblems.Refused(refusals);
        }

        var balances = date is { } day
            ? await ledger.ReadBalancesAsOfAsync(account, day, cancellationToken).ConfigureAwait(false)
            : await ledger.ReadBalancesAsync(account, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new AccountBalancesView(account.Value, date is null ? null : LocalDatePattern.Iso.Format(date.Value), balances.Select(BalanceView.Of).ToArray()));
    }

    private static async Task<Results<Ok<PageView<AccountPostingView>>, ProblemHttpResult>> ReadPostingsAsync(
        string accountId, int? pageSize, string? continuationToken, CallerContext caller, LedgerService ledger, CancellationToken cancellationToken)
    {
        if (!AccountId.TryParse(accountId, out var account) || !MayRead(caller, account))
        {
            return AccountId.TryParse(accountId, out _) ? ApiProblems.NotFound("account") : ApiProblems.Refused(AccountId.Parse(accountId, "accountId").Refusals);
        }

        var page = PageRequest.Create(pageSize ?? DefaultPageSize, continuationToken);
        if (!page.IsValid)
        {
            return ApiProblems.Refused(page.Refusals);
        }

        // The token is the count of postings already returned: postings are listed in a stable (book, sequence) order.
        var skip = 0;
        if (continuationToken is not null && (!int.TryParse(continuationToken, NumberStyles.None, CultureInfo.InvariantCulture, out skip) || skip < 0))
        {
            return ApiProblems.Refused(new Refusal(ContinuationTokenInvalid, "continuationToken", "Pass back the continuationToken of the previous page, unchanged."));
        }

        var postings = await ledger.ReadAccountPostingsAsync(account, cancellationToken).ConfigureAwait(false);
        var items = postings.Skip(skip).Take(page.Value.PageSize).Select(pair => AccountPostingView.Of(pair.Entry, pair.Posting)).ToArray();
        var next = skip + items.Length < postings.Count ? (skip + items.Length).ToString(CultureInfo.InvariantCulture) : null;
        return TypedResults.Ok(new PageView<AccountPostingView>(items, next));
    }

    private static async Task<Results<Ok<TrialBalanceView>, ProblemHttpResult>> TrialBalanceAsync(
        string? period, LedgerService ledger, CancellationToken cancellationToken)
    {
        var refusals = new List<Refusal>();
        var month = ParsePeriod(period, refusals);
        if (month is null)
        {
            return ApiProblems.Refused(refusals);
        }

        var report = await ledger.ComputeTrialBalanceAsync(month.Value, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(TrialBalanceView.Of(report));
    }

    private static async Task<Ok<VerificationView>> VerifyAsync(LedgerService ledger, CancellationToken cancellationToken) =>
        TypedResults.Ok(VerificationView.Of(await ledger.VerifyAsync(cancellationToken).ConfigureAwait(false)));

    private static async Task<Results<Ok<PeriodClosingView>, ProblemHttpResult>> ClosePeriodAsync(
        string period, CallerContext caller, LedgerService ledger, CancellationToken cancellationToken)
    {
        var refusals = new List<Refusal>();
        var month = ParsePeriod(period, refusals);
        if (month is null)
        {
            return ApiProblems.Refused(refusals);
        }

        var closedBy = caller.Subject.Length > 0 ? caller.Subject : "finance";
        return await ledger.ClosePeriodAsync(month.Value, closedBy, cancellationToken).ConfigureAwait(false) switch
        {
            ClosePeriodResult.Closed closed => TypedResults.Ok(PeriodClosingView.Of(closed.Closing)),
            ClosePeriodResult.Refused refused => ApiProblems.Refused(
                refused.Refusals,
                refused.Refusals[0].Code == LedgerRule.ClosedByInvalid ? StatusCodes.Status400BadRequest : StatusCodes.Status409Conflict),
            var other => throw new InvalidOperationException($"Unknown close result {other}."),
        };
    }

    /// <summary>Finance reads every account; a merchant or vendor only the accounts of its own party.</summary>
    private static bool MayRead(CallerContext caller, AccountId account) =>
        caller.Has(CallerRole.Finance)
        || (account.PartyId is { } party && caller.PartyId is { } own && string.Equals(own.Value, party, StringComparison.Ordinal)
            && ((caller.Has(CallerRole.Merchant) && account.Value.StartsWith("merchant:", StringComparison.Ordinal))
                || (caller.Has(CallerRole.Vendor) && account.Value.StartsWith("vendor:", StringComparison.Ordinal))));

    private static T Collect<T>(Validated<T> validated, List<Refusal> refusals)
    {
        refusals.AddRange(validated.Refusals);
        return validated.IsValid ? validated.Value : default!;
    }

    private static LocalDate? ParseDate(string? text, string field, List<Refusal> refusals)
    {
        if (text is null)
        {
            return null;
        }

        var parsed = LocalDatePattern.Iso.Parse(text);
        if (parsed.Success)
        {
            return parsed.Value;
        }

        refusals.Add(new Refusal(DateInvalid, field, $"'{field}' must be a date yyyy-MM-dd, e.g. 2027-03-31."));
        return null;
    }

    private static YearMonth? ParsePeriod(string? text, List<Refusal> refusals)
    {
        var parsed = text is null ? null : YearMonthPattern.Iso.Parse(text);
        if (parsed is { Success: true } && parsed.Value.Year is >= LedgerLimits.MinEffectiveYear and <= LedgerLimits.MaxEffectiveYear)
        {
            return parsed.Value;
        }

        refusals.Add(new Refusal(CalendarRule.PeriodInvalid, "period", "The period is a month yyyy-MM, e.g. 2027-03."));
        return null;
    }
}
