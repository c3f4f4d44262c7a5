namespace ServiceLedger.Functions.Billing;

using System.Globalization;
using NodaTime;
using NodaTime.Text;
using ServiceLedger.Domain.Billing;
using ServiceLedger.Functions.Contracts;

/// <summary>One service report version as JSON: money as <c>{amount, currency}</c>, rates as fraction strings, instants UTC ISO 8601.</summary>
public sealed record ServiceReportView
{
    /// <summary>The contract.</summary>
    public required string ContractId { get; init; }

    /// <summary>The period, <c>2027-03</c> or <c>2027-Q1</c>.</summary>
    public required string Period { get; init; }

    /// <summary>1, 2, ….</summary>
    public required int Version { get; init; }

    /// <summary><c>Submitted</c>, <c>Confirmed</c> or <c>Contested</c>.</summary>
    public required string Status { get; init; }

    /// <summary>True when a newer version exists (this one is kept for the record).</summary>
    public required bool Superseded { get; init; }

    /// <summary>Inquiries handled.</summary>
    public required long Inquiries { get; init; }

    /// <summary>Inquiries that converted.</summary>
    public required long ConvertedInquiries { get; init; }

    /// <summary>Conversion = converted / inquiries, as a decimal string rounded to 6 places for reading (the engine uses the exact ratio).</summary>
    public required string Conversion { get; init; }

    /// <summary>Sales attributed to customer service.</summary>
    public required MoneyView AttributedSales { get; init; }

    /// <summary>Average first-response seconds; absent when not measured.</summary>
    public int? FirstResponseSeconds { get; init; }

    /// <summary>Answer rate as a fraction; absent when not measured.</summary>
    public string? AnswerRate { get; init; }

    /// <summary>First-contact resolution as a fraction; absent when not measured.</summary>
    public string? FirstContactResolution { get; init; }

    /// <summary>Satisfaction as a fraction; absent when not measured.</summary>
    public string? Satisfaction { get; init; }

    /// <summary>QA pass rate as a fraction; absent when not measured.</summary>
    public string? QaPassRate { get; init; }

    /// <summary>Who sent it (<c>vendor:{subject}</c>).</summary>
    public required string SubmittedBy { get; init; }

    /// <summary>When it was received (UTC).</summary>
    public required string SubmittedAt { get; init; }

    /// <summary>The merchant's review; absent while Submitted.</summary>
    public ReviewView? Review { get; init; }
}

/// <summary>A merchant's review of a version.</summary>
/// <param name="Outcome"><c>Confirmed</c> or <c>Contested</c>.</param>
/// <param name="By">Who (<c>merchant:{subject}</c>).</param>
/// <param name="At">When (UTC).</param>
/// <param name="Reason">Why it was contested.</param>
public sealed record ReviewView(string Outcome, string By, string At, string? Reason);

/// <summary>A contract's service report for a period: the version in force and every version, oldest first.</summary>
/// <param name="ContractId">The contract.</param>
/// <param name="Period">The period.</param>
/// <param name="Latest">The newest version; absent when nothing was reported.</param>
/// <param name="Versions">All versions, oldest first.</param>
public sealed record ServiceReportHistoryView(string ContractId, string Period, ServiceReportView? Latest, IReadOnlyList<ServiceReportView> Versions);

/// <summary>Body of POST …/confirmation.</summary>
/// <param name="Version">The version the merchant read; it must still be the latest.</param>
public sealed record ConfirmServiceReportRequest(int? Version);

/// <summary>Body of POST …/contest.</summary>
/// <param name="Version">The version the merchant read; it must still be the latest.</param>
/// <param name="Reason">Why the figures are wrong: 1 to 1000 characters.</param>
public sealed record ContestServiceReportRequest(int? Version, string? Reason);

/// <summary>The answer to a CSV import: every row's result, in file order.</summary>
/// <param name="Created">Rows that stored a new version.</param>
/// <param name="Unchanged">Rows equal to the latest version (nothing stored).</param>
/// <param name="Reports">Each row's result.</param>
public sealed record ServiceReportImportView(int Created, int Unchanged, IReadOnlyList<ImportedReport> Reports);

/// <summary>One shop export version as JSON.</summary>
/// <param name="ContractId">The contract.</param>
/// <param name="Period">The period.</param>
/// <param name="Version">1, 2, ….</param>
/// <param name="Superseded">True when a newer version exists.</param>
/// <param name="OrdersHandledByCustomerService">Orders customer service took part in.</param>
/// <param name="ConvertedOrders">Of those, the paid ones.</param>
/// <param name="Sales">Their sales.</param>
/// <param name="SubmittedBy">Who sent it.</param>
/// <param name="SubmittedAt">When (UTC).</param>
public sealed record ShopExportView(
    string ContractId, string Period, int Version, bool Superseded, long OrdersHandledByCustomerService, long ConvertedOrders, MoneyView Sales, string SubmittedBy, string SubmittedAt);

/// <summary>A contract's shop exports for a period: the latest and all versions.</summary>
/// <param name="ContractId">The contract.</param>
/// <param name="Period">The period.</param>
/// <param name="Latest">The newest version; absent when none.</param>
/// <param name="Versions">All versions, oldest first.</param>
public sealed record ShopExportHistoryView(string ContractId, string Period, ShopExportView? Latest, IReadOnlyList<ShopExportView> Versions);

/// <summary>Maps billing types to their JSON views.</summary>
public static class BillingJson
{
    private const int ConversionPlaces = 6;

    /// <summary>A conversion as a fraction rounded to 6 places for reading (the engine compares the exact ratio); empty for none.</summary>
    public static string ConversionText(decimal? conversion) =>
        conversion is { } value ? decimal.Round(value, ConversionPlaces, MidpointRounding.AwayFromZero).ToString("0.######", CultureInfo.InvariantCulture) : string.Empty;

    /// <summary>The view of a report history.</summary>
    public static ServiceReportHistoryView ToView(ServiceReportHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var versions = history.Versions.Select(report => ToView(report, superseded: report.Version < history.Versions.Count)).ToArray();
        return new ServiceReportHistoryView(history.Contract.Value, history.Period.ToString(), versions.LastOrDefault(), versions);
    }

    /// <summary>The view of one version.</summary>
    public static ServiceReportView ToView(ServiceReport report, bool superseded)
    {
        ArgumentNullException.ThrowIfNull(report);
        var figures = report.Figures;
        return new ServiceReportView
        {
            ContractId = report.Contract.Value,
            Period = report.Period.ToString(),
            Version = report.Version,
            Status = report.Status.ToString(),
            Superseded = superseded,
            Inquiries = figures.Inquiries,
            ConvertedInquiries = figures.ConvertedInquiries,
            Conversion = ConversionText(figures.Conversion),
            AttributedSales = MoneyView.Of(figures.AttributedSales),
            FirstResponseSeconds = figures.FirstResponseSeconds,
            AnswerRate = figures.AnswerRate?.ToString(),
            FirstContactResolution = figures.FirstContactResolution?.ToString(),
            Satisfaction = figures.Satisfaction?.ToString(),
            QaPassRate = figures.QaPassRate?.ToString(),
            SubmittedBy = report.SubmittedBy.ToString(),
            SubmittedAt = Instant(report.SubmittedAt),
            Review = report.Review is { } review ? new ReviewView(review.Outcome.ToString(), review.By.ToString(), Instant(review.At), review.Reason) : null,
        };
    }

    /// <summary>The view of a contract's shop exports for a period.</summary>
    public static ShopExportHistoryView ToView(string contractId, string period, IReadOnlyList<ShopExport> versions)
    {
        ArgumentNullException.ThrowIfNull(versions);
        var views = versions.Select(export => new ShopExportView(
            export.Contract.Value,
            export.Period.ToString(),
            export.Version,
            export.Version < versions.Count,
            export.Figures.OrdersHandledByCustomerService,
            export.Figures.ConvertedOrders,
            MoneyView.Of(export.Figures.Sales),
            export.SubmittedBy.ToString(),
            Instant(export.SubmittedAt))).ToArray();
        return new ShopExportHistoryView(contractId, period, views.LastOrDefault(), views);
    }

    private static string Instant(Instant instant) => InstantPattern.ExtendedIso.Format(instant);
}
