using NodaTime;
using ServiceLedger.Domain.Parties;

namespace ServiceLedger.Functions.Parties;

/// <summary>
/// An approver certifies, suspends or revokes a vendor, with a reason. Optimistic: the change is written only if the
/// vendor is still at the version read (and at the caller's <c>If-Match</c> version when given); otherwise the caller
/// gets the current vendor back and nothing is written.
/// </summary>
public sealed class ChangeVendorCertification(IVendorStore store, IClock clock)
{
    /// <summary>Runs the change.</summary>
    public async Task<CertificationOutcome> RunAsync(
        VendorId id, CertificationAction action, string? reason, Actor by, string? ifMatch, CancellationToken cancellationToken)
    {
        var stored = await store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return new CertificationOutcome.NotFound();
        }

        if (ifMatch is not null && ifMatch != stored.Version)
        {
            return new CertificationOutcome.Conflict(stored);
        }

        var at = clock.GetCurrentInstant();
        var changed = action switch
        {
            CertificationAction.Certify => stored.Vendor.Certify(by, at, reason),
            CertificationAction.Suspend => stored.Vendor.Suspend(by, at, reason),
            CertificationAction.Revoke => stored.Vendor.Revoke(by, at, reason),
            _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Not a certification action."),
        };
        if (!changed.IsValid)
        {
            return new CertificationOutcome.Refused(changed.Refusals);
        }

        return await store.ReplaceAsync(changed.Value, stored.Version, cancellationToken).ConfigureAwait(false) switch
        {
            ReplaceVendorResult.Replaced replaced => new CertificationOutcome.Changed(replaced.Vendor),
            ReplaceVendorResult.Conflict conflict => new CertificationOutcome.Conflict(conflict.Current),
            var other => throw new InvalidOperationException($"Unknown result {other}."),
        };
    }
}
