using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ServiceLedger.Domain.Reconciliation;

/// <summary>One side of an exception: where the figure comes from, the figure as text, and the references there.</summary>
/// <param name="Source">Which side: <c>stripe</c>, <c>ledger</c>, <c>vendor</c>, <c>merchant</c>, <c>expected</c>, <c>found</c>.</param>
/// <param name="Figure">The amount or count as invariant text (<c>300.00</c>, <c>1520</c>), empty when the side has none.</param>
/// <param name="Refs">Ids on that side (balance transactions, entries, reports), sorted.</param>
public sealed record ExceptionSide(string Source, string Figure, ImmutableArray<string> Refs);

/// <summary>
/// An exception a reconciliation run found, in the form a run stores, lists and downloads: every kind of check reduces to
/// this. <see cref="ExceptionId"/> derives from the content (kind, subject, both sides), so re-running a check over the
/// same facts names the same exception.
/// </summary>
/// <param name="ExceptionId">A stable id, <c>exc_</c> and 20 hex digits of SHA-256 over the content.</param>
/// <param name="Kind">What was found.</param>
/// <param name="Subject">What it is about: a Stripe object id, a book, a contract and period, a statement.</param>
/// <param name="Currency">The currency of the figures, or empty for counts.</param>
/// <param name="Left">The outside side (Stripe, vendor, expected).</param>
/// <param name="Right">Our side (ledger, merchant, found).</param>
/// <param name="Detail">One sentence for people.</param>
public sealed record ExceptionLine(string ExceptionId, ReconciliationKind Kind, string Subject, string Currency, ExceptionSide Left, ExceptionSide Right, string Detail)
{
    /// <summary>What finance should do about it.</summary>
    public string SuggestedAction => SuggestedActions.For(Kind);

    /// <summary>Builds a line and derives its id from the content.</summary>
    public static ExceptionLine Create(ReconciliationKind kind, string subject, string currency, ExceptionSide left, ExceptionSide right, string detail)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        var content = string.Join(
            '\u001f',
            kind.ToString(),
            subject,
            currency,
            left.Source,
            left.Figure,
            string.Join(',', left.Refs),
            right.Source,
            right.Figure,
            string.Join(',', right.Refs));
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(content));
        var id = "exc_" + Convert.ToHexStringLower(hash.AsSpan(0, 10));
        return new ExceptionLine(id, kind, subject, currency, left, right, detail);
    }

    /// <summary>The exception for a matcher line: Stripe on the left, the ledger on the right.</summary>
    public static ExceptionLine FromMatch(ReconciliationLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var currency = line.Currency;
        string Figure(long amountMinor, long feeMinor, bool present) =>
            present
                ? string.Create(CultureInfo.InvariantCulture, $"{Money.Money.FromMinorUnits(amountMinor, currency).Amount} fee {Money.Money.FromMinorUnits(feeMinor, currency).Amount}")
                : string.Empty;
        var stripePresent = line.Kind != ReconciliationKind.InLedgerOnly;
        var ledgerPresent = line.Kind != ReconciliationKind.InStripeOnly;
        return Create(
            line.Kind,
            line.Key,
            currency.Code,
            new ExceptionSide("stripe", Figure(line.StripeAmountMinor, line.StripeFeeMinor, stripePresent), line.StripeRefs),
            new ExceptionSide("ledger", Figure(line.LedgerAmountMinor, line.LedgerFeeMinor, ledgerPresent), line.LedgerRefs),
            $"{line.Kind} for {line.Key} (matched by {line.Basis}).");
    }

    /// <summary>SHA-256 (lower-case hex) over the exception ids in the given order: the hash a close records for the report.</summary>
    public static string ReportHash(IEnumerable<ExceptionLine> lines) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', lines.Select(line => line.ExceptionId)))));

    /// <summary>Orders lines by kind, then subject, then id: the report's order.</summary>
    public static IReadOnlyList<ExceptionLine> InReportOrder(IEnumerable<ExceptionLine> lines) =>
        lines.OrderBy(line => line.Kind).ThenBy(line => line.Subject, StringComparer.Ordinal).ThenBy(line => line.ExceptionId, StringComparer.Ordinal).ToArray();
}
