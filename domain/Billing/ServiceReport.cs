namespace ServiceLedger.Domain.Billing;

using NodaTime;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Parties;

/// <summary>
/// One version of a vendor's service report for one contract and period (报表反馈). Never edited in place: a correction is a
/// new version (<see cref="Version"/> one higher) that supersedes this one, which stays readable. The only change a
/// version undergoes is the merchant's one review (<see cref="Review"/>), which moves <see cref="Status"/> from
/// <see cref="ServiceReportStatus.Submitted"/> to <see cref="ServiceReportStatus.Confirmed"/> or
/// <see cref="ServiceReportStatus.Contested"/>. Build versions through <see cref="ServiceReportHistory"/>.
/// </summary>
public sealed record ServiceReport
{
    /// <summary>The contract reported on.</summary>
    public required ContractId Contract { get; init; }

    /// <summary>The period reported on (of the contract's cycle).</summary>
    public required SettlementPeriod Period { get; init; }

    /// <summary>1 for the first report of the period, one more per correction.</summary>
    public required int Version { get; init; }

    /// <summary>The figures, validated.</summary>
    public required ServiceFigures Figures { get; init; }

    /// <summary>The vendor user who sent this version.</summary>
    public required Actor SubmittedBy { get; init; }

    /// <summary>When this version was received.</summary>
    public required Instant SubmittedAt { get; init; }

    /// <summary>The merchant's review of this version; null while <see cref="ServiceReportStatus.Submitted"/>.</summary>
    public ServiceReportReview? Review { get; init; }

    /// <summary>Submitted until reviewed, then the review's outcome.</summary>
    public ServiceReportStatus Status => Review?.Outcome ?? ServiceReportStatus.Submitted;
}

/// <summary>The merchant's review of one report version: confirmed, or contested with a reason.</summary>
/// <param name="Outcome">Confirmed or Contested (never Submitted).</param>
/// <param name="By">The merchant user who reviewed.</param>
/// <param name="At">When.</param>
/// <param name="Reason">Why it was contested; null for a confirmation.</param>
public sealed record ServiceReportReview(ServiceReportStatus Outcome, Actor By, Instant At, string? Reason);

/// <summary>The result of a submission or a review: the version concerned, and whether anything new must be stored.</summary>
/// <param name="Report">The new or reviewed version, or the unchanged one a repeated request names.</param>
/// <param name="Changed">True when <paramref name="Report"/> is new (a new version or a new review) and must be stored.</param>
public sealed record ServiceReportChange(ServiceReport Report, bool Changed);

/// <summary>
/// All versions of one contract's service report for one period, oldest first (version 1, 2, …, gap-free), and the rules for
/// adding the next version and for reviewing the latest. Repeating a request is harmless: submitting the latest figures
/// again, or repeating the latest version's review, changes nothing (<see cref="ServiceReportChange.Changed"/> false).
/// </summary>
public sealed record ServiceReportHistory
{
    private ServiceReportHistory(ContractId contract, SettlementPeriod period, IReadOnlyList<ServiceReport> versions)
    {
        Contract = contract;
        Period = period;
        Versions = versions;
    }

    /// <summary>The contract.</summary>
    public ContractId Contract { get; }

    /// <summary>The period.</summary>
    public SettlementPeriod Period { get; }

    /// <summary>The versions, oldest first; empty when nothing was reported.</summary>
    public IReadOnlyList<ServiceReport> Versions { get; }

    /// <summary>The version in force (the newest); null when nothing was reported.</summary>
    public ServiceReport? Latest => Versions.Count == 0 ? null : Versions[^1];

    /// <summary>A history of no reports.</summary>
    public static ServiceReportHistory Empty(ContractId contract, SettlementPeriod period) => new(contract, period, []);

    /// <summary>
    /// A history from stored versions (any order). They must all be of this contract and period and number 1..n without
    /// gaps: anything else is corrupt storage and throws.
    /// </summary>
    public static ServiceReportHistory Of(ContractId contract, SettlementPeriod period, IEnumerable<ServiceReport> versions)
    {
        ArgumentNullException.ThrowIfNull(versions);
        var ordered = versions.OrderBy(report => report.Version).ToArray();
        for (var index = 0; index < ordered.Length; index++)
        {
            var report = ordered[index];
            if (report.Contract != contract || report.Period != period || report.Version != index + 1)
            {
                throw new InvalidOperationException(
                    $"Service report versions of {contract} {period} must number 1..{ordered.Length} without gaps; found {report.Contract} {report.Period} v{report.Version} at position {index + 1}.");
            }
        }

        return new ServiceReportHistory(contract, period, ordered);
    }

    /// <summary>This history with <paramref name="report"/> stored: added as the next version, or replacing its version (a review).</summary>
    public ServiceReportHistory With(ServiceReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return Of(Contract, Period, Versions.Where(version => version.Version != report.Version).Append(report));
    }

    /// <summary>
    /// The vendor sends figures: a new version (one above the latest) unless they equal the latest version's figures, in
    /// which case the latest is returned unchanged (an idempotent retry). Only a vendor may submit; at most
    /// <see cref="BillingLimits.MaxVersionsPerPeriod"/> versions.
    /// </summary>
    public Validated<ServiceReportChange> Submit(ServiceFigures figures, Actor by, Instant at)
    {
        ArgumentNullException.ThrowIfNull(figures);
        if (by.Role != ActorRole.Vendor)
        {
            return Refuse(BillingRule.ActorNotAllowed, "role", $"Only the contract's vendor submits service reports; a {Describe(by)} may not.");
        }

        if (Latest is { } latest && latest.Figures == figures)
        {
            return Validated.Valid(new ServiceReportChange(latest, Changed: false));
        }

        if (Versions.Count >= BillingLimits.MaxVersionsPerPeriod)
        {
            return Refuse(BillingRule.TooManyVersions, "version", $"{Contract} {Period} already has {Versions.Count} versions, the most one period may have.");
        }

        return Validated.Valid(new ServiceReportChange(
            new ServiceReport
            {
                Contract = Contract,
                Period = Period,
                Version = Versions.Count + 1,
                Figures = figures,
                SubmittedBy = by,
                SubmittedAt = at,
            },
            Changed: true));
    }

    /// <summary>The merchant confirms <paramref name="version"/>, which must be the latest; repeating a confirmation changes nothing.</summary>
    public Validated<ServiceReportChange> Confirm(int version, Actor by, Instant at) =>
        Review(version, new ServiceReportReview(ServiceReportStatus.Confirmed, by, at, null));

    /// <summary>
    /// The merchant contests <paramref name="version"/>, which must be the latest, giving a reason of 1 to
    /// <see cref="BillingLimits.MaxReasonLength"/> plain characters; repeating the same contest changes nothing.
    /// </summary>
    public Validated<ServiceReportChange> Contest(int version, string? reason, Actor by, Instant at)
    {
        var trimmed = reason?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > BillingLimits.MaxReasonLength || !LedgerText.IsPlainText(trimmed))
        {
            return Refuse(BillingRule.ReasonInvalid, "reason", $"Say why the report is contested: 1 to {BillingLimits.MaxReasonLength} characters of plain text.");
        }

        return Review(version, new ServiceReportReview(ServiceReportStatus.Contested, by, at, trimmed));
    }

    private Validated<ServiceReportChange> Review(int version, ServiceReportReview review)
    {
        if (review.By.Role != ActorRole.Merchant)
        {
            return Refuse(BillingRule.ActorNotAllowed, "role", $"Only the contract's merchant confirms or contests a service report; a {Describe(review.By)} may not.");
        }

        if (version < 1 || version > Versions.Count)
        {
            return Refuse(
                BillingRule.VersionUnknown,
                "version",
                Versions.Count == 0
                    ? $"{Contract} has no service report for {Period} yet."
                    : $"{Contract} {Period} has versions 1 to {Versions.Count}; there is no version {version}.");
        }

        var report = Versions[version - 1];
        if (version != Versions.Count)
        {
            return Refuse(BillingRule.VersionSuperseded, "version", $"Version {version} of {Contract} {Period} was superseded by version {Versions.Count}; review the latest.");
        }

        if (report.Review is { } earlier)
        {
            return earlier.Outcome == review.Outcome && string.Equals(earlier.Reason, review.Reason, StringComparison.Ordinal)
                ? Validated.Valid(new ServiceReportChange(report, Changed: false))
                : Refuse(
                    BillingRule.AlreadyReviewed,
                    "version",
                    $"Version {version} of {Contract} {Period} was already {earlier.Outcome.ToString().ToLowerInvariant()} on {earlier.At}; a version is reviewed once. Ask the vendor for a corrected version.");
        }

        return Validated.Valid(new ServiceReportChange(report with { Review = review }, Changed: true));
    }

    private static string Describe(Actor actor) => actor.Role.ToString().ToLowerInvariant();

    private static Validated<ServiceReportChange> Refuse(string code, string field, string message) =>
        Validated.Refused<ServiceReportChange>(new Refusal(code, field, message));
}
