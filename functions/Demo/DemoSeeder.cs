namespace ServiceLedger.Functions.Demo;

using NodaTime;
using ServiceLedger.Domain.Billing;
using ServiceLedger.Domain.Calendar;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Deposits;
using ServiceLedger.Domain.Money;
using ServiceLedger.Domain.Parties;
using ServiceLedger.Domain.Settlement;
using ServiceLedger.Functions.Ledger;
using ServiceLedger.Functions.Settlement;
using ServiceLedger.Functions.Statements;
using ServiceLedger.Functions.Stripe;

/// <summary>What the demo data set is: the ids a newcomer pastes into requests.</summary>
/// <param name="Merchant">The demo merchant.</param>
/// <param name="Vendor">The demo vendor (certified).</param>
/// <param name="Contract">The demo contract (active since the first day of last month).</param>
/// <param name="Period">Last month, the period that is settled.</param>
/// <param name="Statement">The id the statement of <paramref name="Period"/> has once the run has settled it.</param>
/// <param name="Writes">How many things this seeding wrote or started (0 when everything was already there).</param>
public sealed record DemoData(MerchantId Merchant, VendorId Vendor, ContractId Contract, SettlementPeriod Period, StatementId Statement, int Writes);

/// <summary>
/// Seeds the demo data set through the app's own stores and services (no HTTP): a certified vendor, a merchant, an active
/// contract on monthly base-plus-commission terms in Asia/Shanghai starting on the first day of last month (relative to
/// the clock), its deposit entry, a service report for last month, and a settlement run of last month (the trigger pump
/// settles it). Every id derives from a fixed seed and every step first looks whether its result exists, so seeding
/// again writes nothing; a run is started only while last month's statement is missing.
/// </summary>
public sealed class DemoSeeder(
    IMerchantStore merchants,
    IVendorStore vendors,
    IContractStore contracts,
    IServiceReportStore reports,
    IClosedPeriods periods,
    LedgerService ledger,
    IContractBookWrites books,
    StatementStore statements,
    SettlementRuns runs,
    IWorkingDayCalendar calendar,
    ApprovalPolicy policy,
    IClock clock)
{
    /// <summary>The demo's time zone: the contract's periods are counted in it.</summary>
    public const string TimeZone = "Asia/Shanghai";

    /// <summary>The fake Stripe Checkout session whose deposit entry activates the demo contract.</summary>
    public const string DepositSessionId = "cs_demo_0000000000000001";

    /// <summary>Who started the demo's settlement run.</summary>
    public const string StartedBy = "demo-seeder";

    // A valid unified social credit code's first 17 characters; the 18th is its check character.
    private const string LicenceBody = "91440300900000001";

    /// <summary>The demo merchant's id.</summary>
    public static MerchantId MerchantId { get; } = MerchantId.Derive("demo-merchant");

    /// <summary>The demo vendor's licence number (its id derives from it).</summary>
    public static string Licence { get; } = LicenceBody + UnifiedSocialCreditCode.CheckCharacter(LicenceBody);

    /// <summary>The demo contract's id.</summary>
    public static ContractId ContractId { get; } = ContractId.Derive("demo-contract");

    /// <summary>Seeds whatever of the data set is missing (see the class summary) and describes it.</summary>
    public async Task<DemoData> SeedAsync(CancellationToken cancellationToken)
    {
        var zone = DateTimeZoneProviders.Tzdb[TimeZone];
        var today = clock.GetCurrentInstant().InZone(zone).Date;
        var start = new LocalDate(today.Year, today.Month, 1).PlusMonths(-1);
        var period = SettlementPeriod.Month(start.Year, start.Month);

        // Everything before the service report happens two days before the term starts, at 10:00 in Shanghai.
        var signedAt = start.PlusDays(-2).At(new LocalTime(10, 0)).InZoneLeniently(zone).ToInstant();
        var licence = UnifiedSocialCreditCode.Parse(Licence, "licence").Value;
        var vendorId = Vendor.IdFor(licence);
        var writes = 0;

        writes += await SeedMerchantAsync(signedAt, cancellationToken).ConfigureAwait(false);
        writes += await SeedVendorAsync(vendorId, signedAt, cancellationToken).ConfigureAwait(false);
        writes += await SeedContractAsync(vendorId, start, signedAt, zone, cancellationToken).ConfigureAwait(false);
        writes += await SeedReportAsync(vendorId, period, cancellationToken).ConfigureAwait(false);

        var statement = StatementId.For(ContractId, period, 1);
        if (await statements.GetAsync(statement.Value, cancellationToken).ConfigureAwait(false) is null)
        {
            await runs.StartAsync(period, SettlementRuns.HttpTrigger, StartedBy, null, cancellationToken).ConfigureAwait(false);
            writes++;
        }

        return new DemoData(MerchantId, vendorId, ContractId, period, statement, writes);
    }

    private async Task<int> SeedMerchantAsync(Instant at, CancellationToken cancellationToken)
    {
        if (await merchants.GetAsync(MerchantId, cancellationToken).ConfigureAwait(false) is not null)
        {
            return 0;
        }

        var form = new MerchantSignUp("演示商户（杭州）有限公司", Contact, [new ShopForm("Tmall", "sdemoshop0000000000001")], "CNY", TimeZone);
        var merchant = Merchant.SignUp(MerchantId, form, Party(ActorRole.Merchant, MerchantId.Value), at).Value;
        return await merchants.AddAsync(merchant, cancellationToken).ConfigureAwait(false) switch
        {
            AddMerchantResult.Added => 1,
            AddMerchantResult.AlreadyAdded => 0,
            AddMerchantResult.Conflict conflict => throw new InvalidOperationException($"The demo merchant could not be added: {conflict.Refusal}"),
            _ => throw new InvalidOperationException("Unknown merchant write outcome."),
        };
    }

    private async Task<int> SeedVendorAsync(VendorId id, Instant at, CancellationToken cancellationToken)
    {
        if (await vendors.GetAsync(id, cancellationToken).ConfigureAwait(false) is not null)
        {
            return 0;
        }

        var form = new VendorApplication(
            "演示客服外包服务有限公司",
            Contact,
            Licence,
            ["PreSales", "AfterSales"],
            120,
            [new CertificationForm("ISO 9001", "CN-9001-DEMO", "2030-12-31")]);
        var vendor = Vendor.Apply(form, Party(ActorRole.Vendor, id.Value), at).Value
            .Certify(Party(ActorRole.Approver, "demo-approver"), at, "Demo data set").Value;
        return await vendors.AddAsync(vendor, cancellationToken).ConfigureAwait(false) is AddVendorResult.Added ? 1 : 0;
    }

    private async Task<int> SeedContractAsync(VendorId vendor, LocalDate start, Instant at, DateTimeZone zone, CancellationToken cancellationToken)
    {
        if (await contracts.GetAsync(ContractId, cancellationToken).ConfigureAwait(false) is not null)
        {
            return 0;
        }

        var terms = Terms.Create(DemoTerms(start)).Value;
        var merchantUser = Party(ActorRole.Merchant, MerchantId.Value);
        var contract = Contract.Draft(ContractId, MerchantId, vendor, terms, merchantUser, at).Value.Submit(policy, merchantUser, at).Value;
        foreach (var kind in contract.PendingVersion!.RequiredApprovals)
        {
            contract = contract.Approve(ApproverFor(kind), at).Value;
        }

        var closed = await periods.ReadAsync(cancellationToken).ConfigureAwait(false);
        contract = contract
            .Sign(merchantUser, at, calendar, closed).Value
            .Sign(Party(ActorRole.Vendor, vendor.Value), at, calendar, closed).Value;

        // The deposit as Stripe's webhook would book it (idempotent by the session's key), then activation refers to it.
        var deposit = StripeLedgerEntries.DepositPaid(DepositSessionId, ContractId.Value, MerchantId.Value, terms.DepositAmount, at.InZone(zone).Date).Value;
        await ledger.AppendAsync(deposit, cancellationToken).ConfigureAwait(false);
        contract = contract.Activate(ApplyStripeEvent.EntryReference(deposit), Party(ActorRole.Finance, "demo-finance"), at).Value;

        // As the deposit flow's activation does: open the accounts the statements post (idempotent).
        await books.OpenAccountsAsync(ContractId.Book, StatementLedgerEntry.AccountsPosted(MerchantId, vendor, terms.Currency), cancellationToken).ConfigureAwait(false);
        return await contracts.InsertAsync(contract, cancellationToken).ConfigureAwait(false) is ContractWrite.Written ? 2 : 1;
    }

    private async Task<int> SeedReportAsync(VendorId vendor, SettlementPeriod period, CancellationToken cancellationToken)
    {
        var history = await reports.ReadAsync(ContractId, period, cancellationToken).ConfigureAwait(false);
        if (history.Latest is not null)
        {
            return 0;
        }

        var figures = ServiceFigures.Create(1000, 420, new Money(400_000.00m, Currency.Cny), 25, null, null, null, null).Value;
        var change = history.Submit(figures, Party(ActorRole.Vendor, vendor.Value), clock.GetCurrentInstant()).Value;
        return await reports.TryAddVersionAsync(change.Report, cancellationToken).ConfigureAwait(false) ? 1 : 0;
    }

    private static ContactForm Contact => new("王小明", "demo@example.cn", "+8613800138000");

    private static Actor Party(ActorRole role, string subject) => Actor.Create(role, subject, "actor").Value;

    // Each approval by a different person: an executive may not be the one who gave the platform approval.
    private static Actor ApproverFor(ApprovalKind kind) => kind switch
    {
        ApprovalKind.Finance => Party(ActorRole.Finance, "demo-finance"),
        ApprovalKind.Executive => Party(ActorRole.Approver, "demo-executive"),
        _ => Party(ActorRole.Approver, "demo-approver"),
    };

    // Monthly base plus commission: 10 seats at 6,000.00 (base 60,000.00 a month), three commission bands, one year.
    private static TermsInput DemoTerms(LocalDate start) => new()
    {
        CooperationMode = "BasePlusCommission",
        Currency = "CNY",
        TimeZone = TimeZone,
        SettlementCycle = "Monthly",
        Seats = [new SeatInput { AgentType = "pre-sales", Count = 10, MonthlyRate = Cny("6000.00") }],
        CommissionTiers =
        [
            new CommissionTierInput { From = "0", FromInclusive = true, UpTo = "0.3", UpToInclusive = false, Rate = "0.01" },
            new CommissionTierInput { From = "0.3", FromInclusive = true, UpTo = "0.5", UpToInclusive = false, Rate = "0.015" },
            new CommissionTierInput { From = "0.5", FromInclusive = true, UpTo = "1", UpToInclusive = true, Rate = "0.02" },
        ],
        Deposit = new DepositRuleInput { Kind = "MonthsOfSeatRates", Months = 2 },
        DepositRefund = new DepositRefundInput { Kind = "ApplyToFinalStatement", WithinWorkingDays = 10 },
        FirstBaseFeeDueWorkingDays = 2,
        PaymentTermsWorkingDays = 5,
        LatePenalty = new LatePenaltyInput { DailyRate = "0.0005", Cap = "0.2" },
        Sla = new SlaInput
        {
            FirstResponseSeconds = 30,
            AnswerRate = "0.95",
            FirstContactResolution = "0.8",
            Satisfaction = "0.9",
            QaPassRate = "0.95",
            CreditPerMissedTarget = "0.02",
            CreditCap = "0.1",
        },
        PlatformFeeRate = "0.05",
        Term = new TermInput
        {
            StartOn = start.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            EndOn = start.PlusYears(1).PlusDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            AutoRenew = false,
            NoticePeriodDays = 30,
        },
    };

    private static MoneyInput Cny(string amount) => new() { Amount = amount, Currency = "CNY" };
}
