namespace ServiceLedger.Functions.Statements;

using System.Globalization;
using NodaTime;
using ServiceLedger.Domain;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Ledger;
using ServiceLedger.Domain.Money;
using ServiceLedger.Domain.Parties;
using ServiceLedger.Domain.Settlement;
using ServiceLedger.Functions.Auth;
using ServiceLedger.Functions.Contracts;
using ServiceLedger.Functions.Ledger;
using ServiceLedger.Functions.Payments;

/// <summary>
/// Reading statements: lists and single statements confined to the caller (a merchant its own, a vendor its own, finance
/// all; another tenant's statement is "not found"), a vendor's commission statement for a period, and receivables ageing.
/// </summary>
public sealed class StatementQueries(StatementStore statements, StatementPaymentStore payments, CreditNoteStore creditNotes, LedgerService ledger, IClock clock)
{
    /// <summary>Statements per page unless the caller asks for fewer or more (up to <see cref="StatementStore.MaxPageSize"/>).</summary>
    public const int DefaultPageSize = 50;

    /// <summary>Most merchants an ageing report lists by name (totals always count every statement).</summary>
    public const int MaxAgeingMerchantsListed = 1_000;

    /// <summary>Most contracts one commission statement shows.</summary>
    public const int MaxCommissionContracts = 10_000;

    /// <summary>Ledger reads in flight at once while ageing.</summary>
    public const int MaxConcurrentBalanceReads = 8;

    /// <summary>Code of a query value that is not a statement filter we understand.</summary>
    public const string StatementQueryInvalid = nameof(StatementQueryInvalid);

    /// <summary>One page of the statements <paramref name="caller"/> may see, filtered by contract and period; or the refusals.</summary>
    public async Task<Validated<StatementPage>> ListAsync(
        CallerContext caller, string? contractId, string? period, int? pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var refusals = new List<Refusal>();
        ContractId? contract = null;
        if (contractId is not null)
        {
            var parsed = ContractId.Parse(contractId, "contractId");
            refusals.AddRange(parsed.Refusals);
            contract = parsed.IsValid ? parsed.Value : null;
        }

        SettlementPeriod? settlementPeriod = null;
        if (period is not null)
        {
            var parsed = SettlementPeriod.Parse(period, "period");
            refusals.AddRange(parsed.Refusals);
            settlementPeriod = parsed.IsValid ? parsed.Value : null;
        }

        if (pageSize is < 1 or > StatementStore.MaxPageSize)
        {
            refusals.Add(new Refusal(StatementQueryInvalid, "pageSize", $"A page holds 1 to {StatementStore.MaxPageSize} statements."));
        }

        if (refusals.Count > 0)
        {
            return Validated.Refused<StatementPage>(refusals);
        }

        var merchant = MerchantOf(caller);
        var vendor = VendorOf(caller);
        if (!caller.IsStaff && merchant is null && vendor is null)
        {
            // A tenant caller whose party id names neither a merchant nor a vendor owns no statements.
            return Validated.Valid(new StatementPage([], null));
        }

        var filter = new StatementFilter(contract, merchant, vendor, settlementPeriod);
        try
        {
            return Validated.Valid(await statements.ListAsync(filter, pageSize ?? DefaultPageSize, continuationToken, cancellationToken).ConfigureAwait(false));
        }
        catch (ArgumentException)
        {
            return Validated.Refused<StatementPage>(new Refusal(StatementQueryInvalid, "continuationToken", "Pass back the continuationToken of the previous page unchanged."));
        }
    }

    /// <summary>
    /// The statement (issued, or recomputed for a correction), or null when there is none or <paramref name="caller"/> may not
    /// see it. An issued statement whose row does not name its ledger entry (stored before its post) gets it from the ledger by
    /// its key; it stays empty while the entry is not posted (after a crash, until the redelivery or a re-run posts it).
    /// </summary>
    public async Task<StatementRecord?> GetAsync(CallerContext caller, string statementId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var statement = await statements.GetIssuedOrRecomputedAsync(statementId, cancellationToken).ConfigureAwait(false);
        if (statement is null || !CanSee(caller, statement))
        {
            return null;
        }

        if (statement.IsRecomputed || statement.LedgerEntryId.Length > 0)
        {
            return statement;
        }

        var posted = await ledger.FindAsync(statement.Contract.Book, statement.PostingKey, cancellationToken).ConfigureAwait(false);
        return posted is null ? statement : statement with { LedgerEntryId = posted.Id.ToString() };
    }

    /// <summary>The vendor's commission statement for <paramref name="period"/>; null when the caller may not see that vendor.</summary>
    public async Task<Validated<CommissionStatementView>?> CommissionAsync(CallerContext caller, string vendorId, string period, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!PartyId.TryParse(vendorId, out var party) || !caller.CanSee(party))
        {
            return null;
        }

        var vendor = VendorId.Parse(vendorId, "vendorId");
        var parsed = SettlementPeriod.Parse(period, "period");
        if (!vendor.IsValid || !parsed.IsValid)
        {
            return Validated.Refused<CommissionStatementView>([.. vendor.Refusals, .. parsed.Refusals]);
        }

        var rows = new List<StatementRecord>();
        await foreach (var entity in statements.ScanAsync(new StatementFilter(null, null, vendor.Value, parsed.Value), cancellationToken).ConfigureAwait(false))
        {
            if (rows.Count == MaxCommissionContracts)
            {
                throw new InvalidOperationException($"Vendor {vendor.Value} has more than {MaxCommissionContracts} statements in {parsed.Value}; the commission statement would be cut short.");
            }

            rows.Add(StatementStore.Read(entity));
        }

        // The latest version per contract: a re-issued period replaces its earlier version on the vendor's statement. A
        // correction-only statement replaces nothing: it is listed after the final statement it follows.
        var latest = rows.Where(row => !row.IsCorrectionOnly).GroupBy(row => row.Contract).Select(group => group.MaxBy(row => row.Version)!)
            .Concat(rows.Where(row => row.IsCorrectionOnly))
            .OrderBy(row => row.Contract.Value, StringComparer.Ordinal).ThenBy(row => row.Version).ToArray();
        var lines = latest.Select(row => new CommissionLineView(
            row.Contract.Value,
            row.Id,
            row.Merchant.Value,
            MoneyView.Of(row.Commission.AttributedSales),
            row.Commission.Conversion.ToString("0.######", CultureInfo.InvariantCulture),
            row.Commission.TierRate?.Fraction.ToString(CultureInfo.InvariantCulture),
            MoneyView.Of(row.Commission.Commission),
            MoneyView.Of(row.Commission.BaseFee),
            MoneyView.Of(row.Commission.SlaCredits),
            MoneyView.Of(Money.Sum(row.Lines.Where(StatementLineKinds.IsCommissionAdjustment).Select(line => line.Amount), row.Total.Currency)),
            MoneyView.Of(row.PlatformFee),
            MoneyView.Of(row.VendorShare),
            MoneyView.Of(row.Commission.DisputedOnHold),
            MoneyView.Of(row.VendorShare - row.Commission.DisputedOnHold))).ToArray();
        var balances = await ledger.ReadBalancesAsync(AccountId.VendorPayable(vendor.Value.Value), cancellationToken).ConfigureAwait(false);
        var totals = latest.GroupBy(row => row.Total.Currency).OrderBy(group => group.Key.Code, StringComparer.Ordinal).Select(group => new CommissionTotalView(
            group.Key.Code,
            MoneyView.Of(Money.Sum(group.Select(row => row.VendorShare - row.Commission.DisputedOnHold), group.Key)),
            MoneyView.Of(balances.FirstOrDefault(balance => balance.Currency == group.Key)?.Debits ?? Money.Zero(group.Key)))).ToArray();
        return Validated.Valid(new CommissionStatementView(vendor.Value.Value, parsed.Value.ToString(), lines, totals));
    }

    /// <summary>
    /// Receivables ageing over every issued statement, as of today in each contract's time zone. A payment recorded for a
    /// statement, and a dispute's credit note on it, settle exactly that statement; other credits to a merchant's receivable
    /// (payments booked without naming a statement) settle its statements oldest due date first.
    /// </summary>
    public async Task<AgeingView> AgeingAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        var (items, paid) = await ReadReceivablesAsync(now, cancellationToken).ConfigureAwait(false);
        var lines = ReceivablesAgeing.Compute(items, paid);
        var totals = lines.GroupBy(line => line.Currency).OrderBy(group => group.Key.Code, StringComparer.Ordinal).Select(group => new AgeingTotalView(
            group.Key.Code,
            AgeingBucketsView.Of(new AgeingLine(
                "*",
                group.Key,
                Enum.GetValues<AgeingBucket>().ToDictionary(bucket => bucket, bucket => Money.Sum(group.Select(line => line.Buckets[bucket]), group.Key)))))).ToArray();
        return new AgeingView(
            now.ToString("uuuu-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            totals,
            lines.Take(MaxAgeingMerchantsListed).Select(line => new AgeingMerchantView(line.Merchant, AgeingBucketsView.Of(line))).ToArray(),
            items.Count);
    }

    /// <summary>
    /// Every issued statement with what is still unpaid on it now (named payments exactly, other credits to each merchant's
    /// statements oldest due date first, as ageing does); fully paid statements are left out.
    /// </summary>
    public async Task<IReadOnlyList<(ReceivableItem Item, Money Open)>> ReadOpenAsync(CancellationToken cancellationToken)
    {
        var (items, paid) = await ReadReceivablesAsync(clock.GetCurrentInstant(), cancellationToken).ConfigureAwait(false);
        return ReceivablesAgeing.Allocate(items, paid);
    }

    // Every issued statement as a receivable (today in its contract's zone) less the payments recorded for it, and what each
    // merchant has paid per currency beyond those: credits to the merchant's receivable (one balance read per merchant: its index, then the heads of its books)
    // less the named payments, allocated first in, first out.
    private async Task<(List<ReceivableItem> Items, Dictionary<(string Merchant, Currency Currency), Money> Paid)> ReadReceivablesAsync(Instant now, CancellationToken cancellationToken)
    {
        var allocated = new Dictionary<string, Money>(StringComparer.Ordinal);
        await foreach (var recorded in payments.ScanAsync(cancellationToken).ConfigureAwait(false))
        {
            var id = recorded.Payment.Statement.Value;
            allocated[id] = allocated.TryGetValue(id, out var sum) ? sum + recorded.Payment.Amount : recorded.Payment.Amount;
        }

        // A dispute's credit note names its statement too: it settles that statement exactly, like a named payment.
        await foreach (var note in creditNotes.ScanAsync(cancellationToken).ConfigureAwait(false))
        {
            var id = note.Statement.Value;
            allocated[id] = allocated.TryGetValue(id, out var sum) ? sum + note.Credited : note.Credited;
        }

        var items = new List<ReceivableItem>();
        var allocatedPerMerchant = new Dictionary<(string Merchant, Currency Currency), Money>();
        await foreach (var entity in statements.ScanAsync(new StatementFilter(null, null, null, null), cancellationToken).ConfigureAwait(false))
        {
            var statement = StatementStore.Read(entity);
            var owed = statement.Total;
            if (allocated.TryGetValue(statement.Id, out var paidForIt) && paidForIt.Currency == owed.Currency)
            {
                owed -= paidForIt;
                var key = (statement.Merchant.Value, owed.Currency);
                allocatedPerMerchant[key] = allocatedPerMerchant.TryGetValue(key, out var before) ? before + paidForIt : paidForIt;
            }

            items.Add(new ReceivableItem(statement.Id, statement.Merchant.Value, statement.DueOn, now.InZone(statement.TimeZone).Date, owed));
        }

        // Credits to the merchant's receivable (one balance read per merchant: its index, then the heads of its books), less the payments allocated above: the
        // rest is allocated first in, first out.
        var paid = new Dictionary<(string Merchant, Currency Currency), Money>();
        var merchants = items.Select(item => item.Merchant).Distinct(StringComparer.Ordinal).ToArray();
        var balances = new (string Merchant, IReadOnlyList<AccountBalance> Balances)[merchants.Length];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, merchants.Length),
            new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentBalanceReads, CancellationToken = cancellationToken },
            async (index, token) => balances[index] = (merchants[index], await ledger.ReadBalancesAsync(AccountId.MerchantReceivable(merchants[index]), token).ConfigureAwait(false))).ConfigureAwait(false);
        foreach (var (merchant, accountBalances) in balances)
        {
            foreach (var balance in accountBalances)
            {
                paid[(merchant, balance.Currency)] = balance.Credits - (allocatedPerMerchant.TryGetValue((merchant, balance.Currency), out var named) ? named : Money.Zero(balance.Currency));
            }
        }

        return (items, paid);
    }

    private static bool CanSee(CallerContext caller, StatementRecord statement) =>
        caller.IsStaff
        || (caller.Has(CallerRole.Merchant) && caller.PartyId?.Value == statement.Merchant.Value)
        || (caller.Has(CallerRole.Vendor) && caller.PartyId?.Value == statement.Vendor.Value);

    private static MerchantId? MerchantOf(CallerContext caller) =>
        !caller.IsStaff && caller.Has(CallerRole.Merchant) && MerchantId.TryParse(caller.PartyId?.Value, out var merchant) ? merchant : null;

    private static VendorId? VendorOf(CallerContext caller) =>
        !caller.IsStaff && caller.Has(CallerRole.Vendor) && VendorId.TryParse(caller.PartyId?.Value, out var vendor) ? vendor : null;
}
