namespace ServiceLedger.Functions.Contracts;

using System.Globalization;
using System.Text.Json;
using NodaTime;
using NodaTime.Text;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Money;
using ServiceLedger.Domain.Parties;

// The JSON shape of a contract: what GET /api/contracts/{id} answers and, deliberately, what the Table adapter stores.
// One shape for both keeps one mapping to test; the price is that a change to the API shape must stay readable from
// stored contracts (add fields, never rename). Terms appear in their request shape (TermsInput), so a client can copy a
// version's terms into an amendment. Dates are yyyy-MM-dd, instants UTC ISO 8601, enums their names.

/// <summary>A contract as JSON.</summary>
public sealed record ContractView
{
    /// <summary>The contract id (<c>ctr_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The merchant id.</summary>
    public required string MerchantId { get; init; }

    /// <summary>The vendor id.</summary>
    public required string VendorId { get; init; }

    /// <summary>The lifecycle state.</summary>
    public required string Status { get; init; }

    /// <summary>Raised by every action; what <c>If-Match</c> may quote (as <c>"{revision}"</c>).</summary>
    public required int Revision { get; init; }

    /// <summary>The signing day, once both signed.</summary>
    public string? SignedOn { get; init; }

    /// <summary>When the first base fee is due, once signed.</summary>
    public string? FirstBaseFeeDueOn { get; init; }

    /// <summary>The deposit's ledger entry, once active.</summary>
    public string? DepositEntryRef { get; init; }

    /// <summary>Why it is suspended or terminated.</summary>
    public string? Reason { get; init; }

    /// <summary>Derived from the current version: base fee per period, annual value, deposit (read-only; ignored when stored).</summary>
    public ContractFigures? Figures { get; init; }

    /// <summary>The versions, oldest first.</summary>
    public required IReadOnlyList<VersionView> Versions { get; init; }

    /// <summary>Every action, oldest first.</summary>
    public required IReadOnlyList<EventView> History { get; init; }
}

/// <summary>Amounts derived from the current version's terms.</summary>
/// <param name="BaseFeePerPeriod">Base (or fixed) fee for one full settlement period.</param>
/// <param name="AnnualValue">What approval thresholds compare.</param>
/// <param name="Deposit">The deposit to pay before service starts.</param>
public sealed record ContractFigures(MoneyView BaseFeePerPeriod, MoneyView AnnualValue, MoneyView Deposit);

/// <summary>Money on the wire: amount as a decimal string.</summary>
/// <param name="Amount">Decimal string in major units.</param>
/// <param name="Currency">ISO 4217 code.</param>
public sealed record MoneyView(string Amount, string Currency)
{
    /// <summary>The wire form of <paramref name="money"/>.</summary>
    public static MoneyView Of(Money money) => new(money.FormatAmount(), money.Currency.Code);
}

/// <summary>One version as JSON.</summary>
public sealed record VersionView
{
    /// <summary>1 for the original.</summary>
    public required int Number { get; init; }

    /// <summary>Where the version is.</summary>
    public required string Status { get; init; }

    /// <summary>First day in force.</summary>
    public required string EffectiveFrom { get; init; }

    /// <summary>The terms, in request shape.</summary>
    public required TermsInput Terms { get; init; }

    /// <summary>Approvals needed.</summary>
    public required IReadOnlyList<string> RequiredApprovals { get; init; }

    /// <summary>Approvals given.</summary>
    public required IReadOnlyList<ApprovalView> Approvals { get; init; }

    /// <summary>The merchant's signature.</summary>
    public SignatureView? MerchantSignature { get; init; }

    /// <summary>The vendor's signature.</summary>
    public SignatureView? VendorSignature { get; init; }
}

/// <summary>Who acted: role and subject.</summary>
/// <param name="Role">merchant, vendor, finance or approver.</param>
/// <param name="Subject">The token subject or party id.</param>
public sealed record ActorView(string Role, string Subject);

/// <summary>One approval.</summary>
/// <param name="Kind">Platform, Finance or Executive.</param>
/// <param name="By">Who.</param>
/// <param name="At">When (UTC).</param>
public sealed record ApprovalView(string Kind, ActorView By, string At);

/// <summary>One signature.</summary>
/// <param name="By">Who.</param>
/// <param name="At">When (UTC).</param>
/// <param name="SignedOn">The day in the contract's time zone.</param>
public sealed record SignatureView(ActorView By, string At, string SignedOn);

/// <summary>One recorded action.</summary>
/// <param name="Action">What was done.</param>
/// <param name="From">Status before.</param>
/// <param name="To">Status after.</param>
/// <param name="Version">The version acted on.</param>
/// <param name="By">Who.</param>
/// <param name="At">When (UTC).</param>
/// <param name="Reason">Why, when given.</param>
public sealed record EventView(string Action, string From, string To, int Version, ActorView By, string At, string? Reason);

/// <summary>Maps contracts to and from <see cref="ContractView"/>.</summary>
public static class ContractJson
{
    /// <summary>Options for storing and answering contracts: web defaults (camelCase), nulls left out.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The contract's stored JSON (its view without the derived figures), as the contract store keeps it.</summary>
    public static string Write(Contract contract) => JsonSerializer.Serialize(ToView(contract) with { Figures = null }, Options);

    /// <summary>The contract of stored JSON made by <see cref="Write"/>; throws when it does not read.</summary>
    public static Contract Read(string json)
    {
        var view = JsonSerializer.Deserialize<ContractView>(json, Options)
            ?? throw new InvalidOperationException("The stored contract JSON is null.");
        return FromView(view);
    }

    /// <summary>The JSON view of a contract.</summary>
    public static ContractView ToView(Contract contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        var terms = contract.CurrentVersion.Terms;
        return new ContractView
        {
            Id = contract.Id.Value,
            MerchantId = contract.Merchant.Value,
            VendorId = contract.Vendor.Value,
            Status = contract.Status.ToString(),
            Revision = contract.Revision,
            SignedOn = Date(contract.SignedOn),
            FirstBaseFeeDueOn = Date(contract.FirstBaseFeeDueOn),
            DepositEntryRef = contract.DepositEntryRef,
            Reason = contract.Reason,
            Figures = new ContractFigures(MoneyView.Of(terms.BaseFeePerPeriod), MoneyView.Of(terms.AnnualValue), MoneyView.Of(terms.DepositAmount)),
            Versions = contract.Versions.Select(version => new VersionView
            {
                Number = version.Number,
                Status = version.Status.ToString(),
                EffectiveFrom = LocalDatePattern.Iso.Format(version.EffectiveFrom),
                Terms = version.Terms.ToInput(),
                RequiredApprovals = version.RequiredApprovals.Select(kind => kind.ToString()).ToArray(),
                Approvals = version.Approvals.Select(approval => new ApprovalView(approval.Kind.ToString(), ActorOf(approval.By), Instant(approval.At))).ToArray(),
                MerchantSignature = SignatureOf(version.MerchantSignature),
                VendorSignature = SignatureOf(version.VendorSignature),
            }).ToArray(),
            History = contract.History
                .Select(entry => new EventView(entry.Action, entry.From.ToString(), entry.To.ToString(), entry.Version, ActorOf(entry.By), Instant(entry.At), entry.Reason))
                .ToArray(),
        };
    }

    /// <summary>
    /// Rebuilds a contract from its stored view. Stored terms pass <see cref="Terms.Create"/> again; anything that does not
    /// parse means storage was altered or a bug wrote it, so this throws naming the contract.
    /// </summary>
    public static Contract FromView(ContractView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        try
        {
            var versions = view.Versions.Select(version =>
            {
                var terms = Terms.Create(version.Terms);
                if (!terms.IsValid)
                {
                    throw new InvalidOperationException($"Stored terms of version {version.Number} are refused: {terms}.");
                }

                return new ContractVersion(
                    version.Number,
                    terms.Value,
                    ParseDate(version.EffectiveFrom),
                    Enum.Parse<VersionStatus>(version.Status),
                    version.RequiredApprovals.Select(Enum.Parse<ApprovalKind>).ToArray(),
                    version.Approvals.Select(approval => new Approval(Enum.Parse<ApprovalKind>(approval.Kind), ParseActor(approval.By), ParseInstant(approval.At))).ToArray(),
                    ParseSignature(version.MerchantSignature),
                    ParseSignature(version.VendorSignature));
            }).ToArray();
            var history = view.History
                .Select(entry => new ContractEvent(
                    entry.Action,
                    Enum.Parse<ContractStatus>(entry.From),
                    Enum.Parse<ContractStatus>(entry.To),
                    entry.Version,
                    ParseActor(entry.By),
                    ParseInstant(entry.At),
                    entry.Reason))
                .ToArray();
            return Contract.Restore(
                ContractId.Parse(view.Id, "id").Value,
                MerchantId.Parse(view.MerchantId, "merchantId").Value,
                VendorId.Parse(view.VendorId, "vendorId").Value,
                Enum.Parse<ContractStatus>(view.Status),
                versions,
                history,
                view.Revision,
                view.SignedOn is null ? null : ParseDate(view.SignedOn),
                view.FirstBaseFeeDueOn is null ? null : ParseDate(view.FirstBaseFeeDueOn),
                view.DepositEntryRef,
                view.Reason);
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException or UnparsableValueException)
        {
            throw new InvalidOperationException($"The stored contract {view.Id} does not parse: {exception.Message}", exception);
        }
    }

    private static ActorView ActorOf(Actor actor) => new(actor.Role.ToString().ToLowerInvariant(), actor.Subject);

    private static Actor ParseActor(ActorView view) =>
        Actor.Create(Enum.Parse<ActorRole>(view.Role, ignoreCase: true), view.Subject, "by").Value;

    private static SignatureView? SignatureOf(Signature? signature) =>
        signature is null ? null : new SignatureView(ActorOf(signature.By), Instant(signature.At), LocalDatePattern.Iso.Format(signature.SignedOn));

    private static Signature? ParseSignature(SignatureView? view) =>
        view is null ? null : new Signature(ParseActor(view.By), ParseInstant(view.At), ParseDate(view.SignedOn));

    private static string? Date(LocalDate? date) => date is { } value ? LocalDatePattern.Iso.Format(value) : null;

    private static string Instant(Instant instant) => InstantPattern.ExtendedIso.Format(instant);

    private static LocalDate ParseDate(string text) => LocalDatePattern.Iso.Parse(text).GetValueOrThrow();

    private static Instant ParseInstant(string text) => InstantPattern.ExtendedIso.Parse(text).GetValueOrThrow();

    /// <summary>The <c>If-Match</c>/<c>ETag</c> form of a revision: the number in quotes.</summary>
    public static string ETagOf(int revision) => "\"" + revision.ToString(CultureInfo.InvariantCulture) + "\"";
}
