namespace ServiceLedger.Functions.Contracts;

using System.Security.Cryptography;
using System.Text.Json;
using NodaTime;
using ServiceLedger.Domain;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Parties;

/// <summary>
/// Who is calling, as the contracts capability needs it: the actor to record, and for merchants and vendors the party
/// they act for (from their token), which confines them to that party's contracts.
/// </summary>
/// <param name="Actor">The caller's role and subject.</param>
/// <param name="Merchant">The merchant a merchant caller acts for.</param>
/// <param name="Vendor">The vendor a vendor caller acts for.</param>
public sealed record ContractCaller(Actor Actor, MerchantId? Merchant, VendorId? Vendor)
{
    /// <summary>True when the caller may see <paramref name="contract"/>: its own merchant or vendor, or finance and approvers (everything).</summary>
    public bool CanSee(Contract contract) => Actor.Role switch
    {
        ActorRole.Merchant => Merchant == contract.Merchant,
        ActorRole.Vendor => Vendor == contract.Vendor,
        ActorRole.Finance or ActorRole.Approver => true,
        _ => false,
    };
}

/// <summary>What a contract use case answered.</summary>
public abstract record ContractOutcome
{
    private ContractOutcome()
    {
    }

    /// <summary>Done; <paramref name="Created"/> when a new contract was stored.</summary>
    public sealed record Done(StoredContract Stored, bool Created = false) : ContractOutcome;

    /// <summary>Refused by a rule; nothing was written.</summary>
    public sealed record Refused(IReadOnlyList<Refusal> Refusals) : ContractOutcome;

    /// <summary>No such contract, or not one the caller may see (the two are indistinguishable on purpose).</summary>
    public sealed record NotFound : ContractOutcome;

    /// <summary>Someone else changed the contract first (or the idempotency key was used for another request); nothing was written.</summary>
    public sealed record Conflict(StoredContract Current) : ContractOutcome;
}

/// <summary>A request to draw up a contract.</summary>
/// <param name="MerchantId">The merchant; a merchant caller may leave it out (its own is used) but not name another.</param>
/// <param name="VendorId">The vendor.</param>
/// <param name="Terms">The terms.</param>
public sealed record DraftContractRequest(string? MerchantId, string? VendorId, TermsInput? Terms);

/// <summary>A request to amend a contract.</summary>
/// <param name="EffectiveFrom">First day of the new terms, <c>yyyy-MM-dd</c>.</param>
/// <param name="Terms">The new terms in full.</param>
public sealed record AmendmentRequest(string? EffectiveFrom, TermsInput? Terms);

/// <summary>
/// The contract use cases: each loads the contract, confines the caller to contracts it may see (others are "not found"),
/// applies one domain action and writes the result conditionally on the version it read. If the caller quoted a revision
/// (<c>If-Match</c>) that is no longer current, or someone wrote in between, the answer is a conflict with the current
/// version and nothing is written — never a silent retry, because the other person's change may alter the decision.
/// </summary>
public sealed class ContractLifecycle(
    IContractStore store,
    IVendorEligibility vendors,
    IClosedPeriods periods,
    IWorkingDayCalendar calendar,
    ApprovalPolicy policy,
    IClock clock)
{
    /// <summary>Longest idempotency key accepted.</summary>
    public const int MaxIdempotencyKeyLength = 200;

    /// <summary>
    /// Draws up a draft. With an idempotency key the contract id derives from caller and key, so a retried request finds
    /// the first contract: the same request answers it again; a different request with the same key is a conflict.
    /// </summary>
    public async Task<ContractOutcome> DraftAsync(ContractCaller caller, DraftContractRequest request, string? idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        var refusals = new List<Refusal>();
        var merchant = ReadMerchant(caller, request.MerchantId, refusals);
        var vendor = Read(VendorId.Parse(request.VendorId, "vendorId"), refusals);
        var terms = Read(Terms.Create(request.Terms), refusals);
        if (idempotencyKey is { Length: 0 or > MaxIdempotencyKeyLength })
        {
            refusals.Add(new Refusal(ContractRule.TextInvalid, "Idempotency-Key", $"An idempotency key is 1 to {MaxIdempotencyKeyLength} characters."));
        }

        if (refusals.Count > 0)
        {
            return new ContractOutcome.Refused(refusals);
        }

        var now = clock.GetCurrentInstant();
        if (await vendors.CheckAsync(vendor, now.InZone(terms!.TimeZone).Date, cancellationToken).ConfigureAwait(false) is { } ineligible)
        {
            return new ContractOutcome.Refused([ineligible]);
        }

        var id = ContractId.Derive(idempotencyKey is null ? Convert.ToHexString(RandomNumberGenerator.GetBytes(16)) : $"{caller.Actor}|{idempotencyKey}");
        var drafted = Contract.Draft(id, merchant, vendor, terms, caller.Actor, now);
        if (!drafted.IsValid)
        {
            return new ContractOutcome.Refused(drafted.Refusals);
        }

        return await store.InsertAsync(drafted.Value, cancellationToken).ConfigureAwait(false) switch
        {
            ContractWrite.Written written => new ContractOutcome.Done(written.Stored, Created: true),
            ContractWrite.Conflict { Current: var current } when SameDraft(current.Contract, drafted.Value) => new ContractOutcome.Done(current),
            ContractWrite.Conflict conflict => new ContractOutcome.Conflict(conflict.Current),
            _ => throw new InvalidOperationException("Unknown write outcome."),
        };
    }

    /// <summary>The contract, if the caller may see it.</summary>
    public async Task<ContractOutcome> GetAsync(ContractCaller caller, string? contractId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var stored = await LoadAsync(caller, contractId, cancellationToken).ConfigureAwait(false);
        return stored is null ? new ContractOutcome.NotFound() : new ContractOutcome.Done(stored);
    }

    /// <summary>
    /// One page of the contracts the caller may see: a merchant or vendor only its own (asking for another party's answers an
    /// empty page, not an error that would confirm the party exists); finance and approvers any, filtered as asked.
    /// </summary>
    public async Task<(ContractPage? Page, IReadOnlyList<Refusal> Refusals)> ListAsync(
        ContractCaller caller, string? merchantId, string? vendorId, string? status, int? pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var refusals = new List<Refusal>();
        MerchantId? merchant = merchantId is null ? null : Read(MerchantId.Parse(merchantId, "merchantId"), refusals);
        VendorId? vendor = vendorId is null ? null : Read(VendorId.Parse(vendorId, "vendorId"), refusals);
        ContractStatus? state = null;
        if (status is not null)
        {
            if (Enum.TryParse<ContractStatus>(status, ignoreCase: false, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(status, out _))
            {
                state = parsed;
            }
            else
            {
                refusals.Add(new Refusal(ContractRule.ValueNotRecognised, "status", $"'{status}' is not one of {string.Join(", ", Enum.GetNames<ContractStatus>())}."));
            }
        }

        var size = pageSize ?? 50;
        if (size is < 1 or > IContractStore.MaxPageSize)
        {
            refusals.Add(new Refusal(ContractRule.NumberOutOfRange, "pageSize", $"{size} is outside 1 to {IContractStore.MaxPageSize}."));
        }

        if (refusals.Count > 0)
        {
            return (null, refusals);
        }

        // Confinement: a merchant's or vendor's own party replaces whatever they asked for; a mismatch shows nothing.
        if (caller.Actor.Role == ActorRole.Merchant)
        {
            if (merchant is not null && merchant != caller.Merchant)
            {
                return (new ContractPage([], null), []);
            }

            merchant = caller.Merchant;
        }
        else if (caller.Actor.Role == ActorRole.Vendor)
        {
            if (vendor is not null && vendor != caller.Vendor)
            {
                return (new ContractPage([], null), []);
            }

            vendor = caller.Vendor;
        }

        try
        {
            return (await store.ListAsync(new ContractFilter(merchant, vendor, state), size, continuationToken, cancellationToken).ConfigureAwait(false), []);
        }
        catch (ArgumentException)
        {
            return (null, [new Refusal(ContractRule.TextInvalid, "continuationToken", "The continuation token is not one this list gave out; start again without it.")]);
        }
    }

    /// <summary>Replaces a draft's terms.</summary>
    public Task<ContractOutcome> ReplaceTermsAsync(ContractCaller caller, string? contractId, TermsInput? input, int? expectedRevision, CancellationToken cancellationToken) =>
        ActAsync(caller, contractId, expectedRevision, (contract, now, _) =>
        {
            var terms = Terms.Create(input);
            return Task.FromResult(terms.IsValid ? contract.ReplaceTerms(terms.Value, caller.Actor, now) : Validated.Refused<Contract>(terms.Refusals));
        }, cancellationToken);

    /// <summary>Submits a draft for approval.</summary>
    public Task<ContractOutcome> SubmitAsync(ContractCaller caller, string? contractId, int? expectedRevision, CancellationToken cancellationToken) =>
        ActAsync(caller, contractId, expectedRevision, (contract, now, _) => Task.FromResult(contract.Submit(policy, caller.Actor, now)), cancellationToken);

    /// <summary>Gives the caller's approval to the version awaiting it.</summary>
    public Task<ContractOutcome> ApproveAsync(ContractCaller caller, string? contractId, int? version, int? expectedRevision, CancellationToken cancellationToken) =>
        ActAsync(caller, contractId, expectedRevision, (contract, now, _) => Task.FromResult(contract.Approve(caller.Actor, now, version)), cancellationToken);

    /// <summary>Signs the approved version for the caller's party.</summary>
    public Task<ContractOutcome> SignAsync(ContractCaller caller, string? contractId, int? version, int? expectedRevision, CancellationToken cancellationToken) =>
        ActAsync(caller, contractId, expectedRevision, async (contract, now, token) =>
            contract.Sign(caller.Actor, now, calendar, await periods.ReadAsync(token).ConfigureAwait(false), version), cancellationToken);

    /// <summary>Suspends an active contract.</summary>
    public Task<ContractOutcome> SuspendAsync(ContractCaller caller, string? contractId, string? reason, int? expectedRevision, CancellationToken cancellationToken) =>
        ActAsync(caller, contractId, expectedRevision, (contract, now, _) => Task.FromResult(contract.Suspend(reason, caller.Actor, now)), cancellationToken);

    /// <summary>Resumes a suspended contract.</summary>
    public Task<ContractOutcome> ResumeAsync(ContractCaller caller, string? contractId, int? expectedRevision, CancellationToken cancellationToken) =>
        ActAsync(caller, contractId, expectedRevision, (contract, now, _) => Task.FromResult(contract.Resume(caller.Actor, now)), cancellationToken);

    /// <summary>Terminates a contract with a reason.</summary>
    public Task<ContractOutcome> TerminateAsync(ContractCaller caller, string? contractId, string? reason, int? expectedRevision, CancellationToken cancellationToken) =>
        ActAsync(caller, contractId, expectedRevision, (contract, now, _) => Task.FromResult(contract.Terminate(reason, caller.Actor, now)), cancellationToken);

    /// <summary>Proposes an amendment; the vendor must still be eligible today.</summary>
    public Task<ContractOutcome> ProposeAmendmentAsync(ContractCaller caller, string? contractId, AmendmentRequest request, int? expectedRevision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ActAsync(caller, contractId, expectedRevision, async (contract, now, token) =>
        {
            var refusals = new List<Refusal>();
            var terms = Read(Terms.Create(request.Terms), refusals);
            var effectiveFrom = Read(ReadDate(request.EffectiveFrom, "effectiveFrom"), refusals);
            if (refusals.Count > 0)
            {
                return Validated.Refused<Contract>(refusals);
            }

            if (await vendors.CheckAsync(contract.Vendor, now.InZone(terms!.TimeZone).Date, token).ConfigureAwait(false) is { } ineligible)
            {
                return Validated.Refused<Contract>(ineligible);
            }

            return contract.ProposeAmendment(terms, effectiveFrom, policy, await periods.ReadAsync(token).ConfigureAwait(false), caller.Actor, now);
        }, cancellationToken);
    }

    /// <summary>Starts service once the deposit is paid (for the deposit flow; finance acts).</summary>
    public Task<ContractOutcome> ActivateAsync(ContractCaller caller, string? contractId, string depositEntryRef, CancellationToken cancellationToken) =>
        ActAsync(caller, contractId, null, (contract, now, _) => Task.FromResult(contract.Activate(depositEntryRef, caller.Actor, now)), cancellationToken);

    private async Task<ContractOutcome> ActAsync(
        ContractCaller caller,
        string? contractId,
        int? expectedRevision,
        Func<Contract, Instant, CancellationToken, Task<Validated<Contract>>> action,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var stored = await LoadAsync(caller, contractId, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return new ContractOutcome.NotFound();
        }

        if (expectedRevision is { } expected && expected != stored.Contract.Revision)
        {
            return new ContractOutcome.Conflict(stored);
        }

        var next = await action(stored.Contract, clock.GetCurrentInstant(), cancellationToken).ConfigureAwait(false);
        if (!next.IsValid)
        {
            return new ContractOutcome.Refused(next.Refusals);
        }

        // An idempotent action (a repeated activation) changes nothing and writes nothing.
        if (ReferenceEquals(next.Value, stored.Contract))
        {
            return new ContractOutcome.Done(stored);
        }

        return await store.ReplaceAsync(next.Value, stored.ConcurrencyToken, cancellationToken).ConfigureAwait(false) switch
        {
            ContractWrite.Written written => new ContractOutcome.Done(written.Stored),
            ContractWrite.Conflict conflict => new ContractOutcome.Conflict(conflict.Current),
            _ => throw new InvalidOperationException("Unknown write outcome."),
        };
    }

    private async Task<StoredContract?> LoadAsync(ContractCaller caller, string? contractId, CancellationToken cancellationToken)
    {
        // A malformed id cannot name a contract the caller may see: "not found" as for any other.
        if (!ContractId.TryParse(contractId, out var id))
        {
            return null;
        }

        var stored = await store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        return stored is not null && caller.CanSee(stored.Contract) ? stored : null;
    }

    private static MerchantId ReadMerchant(ContractCaller caller, string? merchantId, List<Refusal> refusals)
    {
        if (caller.Actor.Role == ActorRole.Merchant)
        {
            if (caller.Merchant is null)
            {
                refusals.Add(new Refusal(ContractRule.ActorNotAllowed, "merchantId", "The caller's token names no merchant; sign in as a merchant user."));
                return default;
            }

            if (merchantId is not null && merchantId != caller.Merchant?.Value)
            {
                refusals.Add(new Refusal(ContractRule.ActorNotAllowed, "merchantId", "A merchant draws up contracts for itself; leave merchantId out or give your own."));
            }

            return caller.Merchant ?? default;
        }

        return Read(MerchantId.Parse(merchantId, "merchantId"), refusals);
    }

    private static bool SameDraft(Contract stored, Contract requested) =>
        stored.Merchant == requested.Merchant
        && stored.Vendor == requested.Vendor
        && JsonSerializer.Serialize(stored.Versions[0].Terms.ToInput(), ContractJson.Options) == JsonSerializer.Serialize(requested.Versions[0].Terms.ToInput(), ContractJson.Options);

    private static Validated<LocalDate> ReadDate(string? text, string field)
    {
        var parsed = text is null ? null : NodaTime.Text.LocalDatePattern.Iso.Parse(text);
        return parsed is { Success: true }
            ? Validated.Valid(parsed.Value)
            : Validated.Refused<LocalDate>(new Refusal(ContractRule.DateInvalid, field, $"Give {field} as yyyy-MM-dd."));
    }

    private static T Read<T>(Validated<T> result, List<Refusal> refusals)
    {
        if (result.IsValid)
        {
            return result.Value;
        }

        refusals.AddRange(result.Refusals);
        return default!;
    }
}
