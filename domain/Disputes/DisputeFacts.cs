namespace ServiceLedger.Domain.Disputes;

using System.Globalization;
using NodaTime;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Parties;

/// <summary>
/// Where a dispute is: <c>Open → UnderReview → Resolved → Closed</c>, with <c>Escalated</c> (mediation) from Open or
/// UnderReview. Resolved and Closed release the hold; Closed is final.
/// </summary>
public enum DisputeState
{
    /// <summary>Raised; waiting for finance to take it up.</summary>
    Open = 1,

    /// <summary>Finance is reviewing the evidence.</summary>
    UnderReview = 2,

    /// <summary>Past a response deadline, or sent to mediation by finance.</summary>
    Escalated = 3,

    /// <summary>An outcome was decided and booked.</summary>
    Resolved = 4,

    /// <summary>Finished. Final.</summary>
    Closed = 5,
}

/// <summary>What is being contested (the reason categories).</summary>
public enum DisputeReason
{
    /// <summary>The sales the commission was computed on.</summary>
    CommissionBase = 1,

    /// <summary>Inquiries or conversions, hence the tier.</summary>
    ConversionFigures = 2,

    /// <summary>An SLA credit, given or missing.</summary>
    SlaCredit = 3,

    /// <summary>How a partial period's base fee was prorated.</summary>
    BaseFeeProration = 4,

    /// <summary>A late penalty.</summary>
    LatePenalty = 5,

    /// <summary>Anything else; the evidence says what.</summary>
    Other = 6,

    /// <summary>A card payment disputed with the card issuer (a Stripe chargeback), opened from the webhook.</summary>
    Chargeback = 7,
}

/// <summary>The decision that resolves a dispute.</summary>
public enum DisputeOutcome
{
    /// <summary>The whole contested amount is credited.</summary>
    Accepted = 1,

    /// <summary>Part of the contested amount is credited.</summary>
    PartiallyAccepted = 2,

    /// <summary>Nothing is credited; the hold is released.</summary>
    Rejected = 3,
}

/// <summary>Who may read an action: both parties and finance, or finance only (internal notes).</summary>
public enum DisputeVisibility
{
    /// <summary>The merchant, the vendor and finance.</summary>
    Parties = 1,

    /// <summary>Finance only.</summary>
    FinanceOnly = 2,
}

/// <summary>The stable names of recorded actions; stored and shown.</summary>
public static class DisputeActions
{
    /// <summary>The dispute was opened.</summary>
    public const string Opened = "opened";

    /// <summary>A comment was added.</summary>
    public const string Commented = "commented";

    /// <summary>Evidence (text and documents) was added.</summary>
    public const string EvidenceAdded = "evidence-added";

    /// <summary>A finance-only note was added.</summary>
    public const string InternalNote = "internal-note";

    /// <summary>Finance started its review.</summary>
    public const string ReviewStarted = "review-started";

    /// <summary>Escalated to mediation by finance.</summary>
    public const string Escalated = "escalated";

    /// <summary>Escalated by the timer because a response deadline passed.</summary>
    public const string DeadlineEscalated = "deadline-escalated";

    /// <summary>An outcome was decided.</summary>
    public const string Resolved = "resolved";

    /// <summary>The dispute was closed.</summary>
    public const string Closed = "closed";

    /// <summary>Stripe reported a chargeback status.</summary>
    public const string StripeStatus = "stripe-status";

    /// <summary>Evidence was submitted to Stripe.</summary>
    public const string StripeEvidenceSubmitted = "stripe-evidence-submitted";
}

/// <summary>Refusal codes of the dispute rules; clients may switch on them.</summary>
public static class DisputeRule
{
    /// <summary>The dispute id is not <c>dsp_</c> then 12 to 26 of <c>[a-z0-9]</c>.</summary>
    public const string DisputeIdInvalid = "DisputeIdInvalid";

    /// <summary>The contested amount is not positive, or exceeds what it contests.</summary>
    public const string ContestedAmountOutOfRange = "ContestedAmountOutOfRange";

    /// <summary>Another dispute on the same statement line is still open.</summary>
    public const string AlreadyDisputed = "AlreadyDisputed";

    /// <summary>The action is not allowed in the dispute's state.</summary>
    public const string IllegalTransition = "IllegalDisputeTransition";

    /// <summary>The caller's role may not take this action.</summary>
    public const string RoleNotAllowed = "DisputeRoleNotAllowed";

    /// <summary>Text is missing, too long, or has control characters.</summary>
    public const string TextInvalid = "DisputeTextInvalid";

    /// <summary>An evidence document reference is malformed.</summary>
    public const string DocumentInvalid = "EvidenceDocumentInvalid";

    /// <summary>The resolved amount does not fit the outcome.</summary>
    public const string ResolvedAmountInvalid = "ResolvedAmountInvalid";

    /// <summary>The line number or statement id is malformed.</summary>
    public const string SubjectInvalid = "DisputeSubjectInvalid";
}

/// <summary>Limits that keep a dispute inside one table entity and a page.</summary>
public static class DisputeLimits
{
    /// <summary>Most characters of a comment, note or evidence text.</summary>
    public const int MaxTextLength = 4_000;

    /// <summary>Most documents referenced by one action.</summary>
    public const int MaxDocumentsPerAction = 10;

    /// <summary>Most actions one dispute keeps (beyond this, finance closes it and opens another).</summary>
    public const int MaxActions = 200;

    /// <summary>Most bytes of one referenced document (25 MiB, the upload limit).</summary>
    public const long MaxDocumentBytes = 25L * 1024 * 1024;

    /// <summary>Most characters of a document's name or content type.</summary>
    public const int MaxDocumentNameLength = 200;
}

/// <summary>
/// What a dispute contests: a statement (its id as the settlement issues it) and one line of it by number (1-based), or the
/// whole statement when <see cref="Line"/> is null. Two disputes contest the same thing when their <see cref="Key"/>s are equal.
/// </summary>
/// <param name="StatementId">The statement's id.</param>
/// <param name="Line">The line number, 1-based; null for the whole statement.</param>
public sealed record DisputeSubject(string StatementId, int? Line)
{
    /// <summary>Most characters of a statement id.</summary>
    public const int MaxStatementIdLength = 200;

    /// <summary>A stable key: <c>{statementId}#{line}</c> or <c>{statementId}#all</c>.</summary>
    public string Key => $"{StatementId}#{(Line is { } line ? line.ToString(CultureInfo.InvariantCulture) : "all")}";

    /// <summary>Validates a subject from a request, naming <c>{field}.statementId</c> or <c>{field}.line</c>.</summary>
    public static Validated<DisputeSubject> Create(string? statementId, int? line, string field)
    {
        var refusals = new List<Refusal>();
        if (string.IsNullOrWhiteSpace(statementId) || statementId.Length > MaxStatementIdLength || statementId.Any(char.IsControl) || statementId.Contains('#', StringComparison.Ordinal))
        {
            refusals.Add(new Refusal(DisputeRule.SubjectInvalid, $"{field}.statementId", $"Give the statement's id (1 to {MaxStatementIdLength} characters, no '#')."));
        }

        if (line is < 1)
        {
            refusals.Add(new Refusal(DisputeRule.SubjectInvalid, $"{field}.line", "Line numbers start at 1; leave the line out to contest the whole statement."));
        }

        return refusals.Count > 0 ? Validated.Refused<DisputeSubject>(refusals) : Validated.Valid(new DisputeSubject(statementId!, line));
    }
}

/// <summary>A reference to an uploaded document: its name, media type, size in bytes and SHA-256 (64 lower-case hex digits).</summary>
/// <param name="Name">The file name as uploaded.</param>
/// <param name="ContentType">The media type, e.g. <c>application/pdf</c>.</param>
/// <param name="SizeBytes">The size, 1 to <see cref="DisputeLimits.MaxDocumentBytes"/>.</param>
/// <param name="Sha256">The SHA-256 of the content, lower-case hex.</param>
public sealed record EvidenceDocument(string Name, string ContentType, long SizeBytes, string Sha256)
{
    /// <summary>Validates a document reference, naming <c>{field}.name</c>, <c>.contentType</c>, <c>.sizeBytes</c>, <c>.sha256</c>.</summary>
    public static Validated<EvidenceDocument> Create(string? name, string? contentType, long sizeBytes, string? sha256, string field)
    {
        var refusals = new List<Refusal>();
        if (!DisputeText.IsPlain(name, DisputeLimits.MaxDocumentNameLength))
        {
            refusals.Add(new Refusal(DisputeRule.DocumentInvalid, $"{field}.name", $"Give the document's name, 1 to {DisputeLimits.MaxDocumentNameLength} characters."));
        }

        if (contentType is null || contentType.Length is 0 or > DisputeLimits.MaxDocumentNameLength || !contentType.Contains('/', StringComparison.Ordinal) || contentType.Any(char.IsWhiteSpace))
        {
            refusals.Add(new Refusal(DisputeRule.DocumentInvalid, $"{field}.contentType", "Give a media type such as application/pdf or image/png."));
        }

        if (sizeBytes is < 1 or > DisputeLimits.MaxDocumentBytes)
        {
            refusals.Add(new Refusal(DisputeRule.DocumentInvalid, $"{field}.sizeBytes", $"The size must be 1 to {DisputeLimits.MaxDocumentBytes} bytes."));
        }

        if (sha256 is null || sha256.Length != 64 || !sha256.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f')))
        {
            refusals.Add(new Refusal(DisputeRule.DocumentInvalid, $"{field}.sha256", "Give the SHA-256 of the content as 64 lower-case hex digits."));
        }

        return refusals.Count > 0
            ? Validated.Refused<EvidenceDocument>(refusals)
            : Validated.Valid(new EvidenceDocument(name!, contentType!, sizeBytes, sha256!));
    }
}

/// <summary>One recorded action, append-only: what, the state before and after, who, when, the text and documents, and who may read it.</summary>
/// <param name="Action">One of <see cref="DisputeActions"/>.</param>
/// <param name="From">The state before.</param>
/// <param name="To">The state after.</param>
/// <param name="By">Who acted (the timer and Stripe act as finance-side system actors).</param>
/// <param name="At">When.</param>
/// <param name="Text">The comment, evidence text, note or reason; null when none.</param>
/// <param name="Documents">Referenced documents; empty when none.</param>
/// <param name="Visibility">Who may read it.</param>
public sealed record DisputeAction(
    string Action, DisputeState From, DisputeState To, Actor By, Instant At, string? Text, IReadOnlyList<EvidenceDocument> Documents, DisputeVisibility Visibility);

/// <summary>Response deadlines in working days per state (configuration); a state without a deadline waits indefinitely.</summary>
/// <param name="OpenWorkingDays">Days finance has to start a review of an open dispute.</param>
/// <param name="UnderReviewWorkingDays">Days finance has to resolve a dispute under review.</param>
/// <param name="EscalatedWorkingDays">Days mediation has to resolve an escalated dispute (shown; escalation is the last step).</param>
public sealed record DisputeDeadlines(int OpenWorkingDays, int UnderReviewWorkingDays, int EscalatedWorkingDays)
{
    /// <summary>Most working days a deadline may be set to.</summary>
    public const int MaxWorkingDays = 250;

    /// <summary>The defaults: 5 working days open, 10 under review, 20 escalated.</summary>
    public static DisputeDeadlines Default { get; } = new(5, 10, 20);

    /// <summary>The working days allowed in <paramref name="state"/>; null for states without a deadline.</summary>
    public int? For(DisputeState state) => state switch
    {
        DisputeState.Open => OpenWorkingDays,
        DisputeState.UnderReview => UnderReviewWorkingDays,
        DisputeState.Escalated => EscalatedWorkingDays,
        _ => null,
    };

    /// <summary>True when every deadline is 1 to <see cref="MaxWorkingDays"/>.</summary>
    public bool IsValid => new[] { OpenWorkingDays, UnderReviewWorkingDays, EscalatedWorkingDays }.All(days => days is >= 1 and <= MaxWorkingDays);
}

/// <summary>The chargeback side of a dispute: Stripe's ids, amount, status as Stripe reports it, and the evidence due date.</summary>
/// <param name="StripeDisputeId">Stripe's dispute id (<c>dp_…</c>).</param>
/// <param name="ChargeId">The disputed charge (<c>ch_…</c>).</param>
/// <param name="Status">Stripe's status, verbatim (e.g. <c>warning_needs_response</c>, <c>needs_response</c>, <c>under_review</c>, <c>won</c>, <c>lost</c>).</param>
/// <param name="EvidenceDueBy">When evidence must reach Stripe; null when Stripe gives none.</param>
/// <param name="IsInquiry">True for an inquiry (<c>warning_*</c>): no money moved yet.</param>
public sealed record ChargebackFacts(string StripeDisputeId, string ChargeId, string Status, Instant? EvidenceDueBy, bool IsInquiry)
{
    /// <summary>True when Stripe has decided in the merchant's favour.</summary>
    public bool IsWon => Status is "won" or "warning_closed";

    /// <summary>True when Stripe has decided against.</summary>
    public bool IsLost => Status == "lost";
}

/// <summary>Checks free text for disputes.</summary>
internal static class DisputeText
{
    /// <summary>True for 1 to <paramref name="maxLength"/> characters with no control characters other than line breaks and tabs.</summary>
    public static bool IsPlain(string? text, int maxLength) =>
        !string.IsNullOrWhiteSpace(text)
        && text.Length <= maxLength
        && text.All(c => !char.IsControl(c) || c is '\n' or '\r' or '\t');
}
