using ServiceLedger.Functions.Adapters.Storage;
using ServiceLedger.Functions.Adapters.Stripe;
using ServiceLedger.Functions.Apis;
using ServiceLedger.Functions.Auth;
using ServiceLedger.Functions.Billing;
using ServiceLedger.Functions.Configuration;
using ServiceLedger.Functions.Contracts;
using ServiceLedger.Functions.Demo;
using ServiceLedger.Functions.Disputes;
using ServiceLedger.Functions.Deposits;
using ServiceLedger.Functions.Errors;
using ServiceLedger.Functions.Hosting;
using ServiceLedger.Functions.Ledger;
using ServiceLedger.Functions.OpenApi;
using ServiceLedger.Functions.Parties;
using ServiceLedger.Functions.Payments;
using ServiceLedger.Functions.Reconciliation;
using ServiceLedger.Functions.Settlement;

var builder = WebApplication.CreateBuilder(args);
builder.ListenWhereTheFunctionsHostExpects();

builder.Services.AddApiProblems();
builder.Services.AddStorage(builder.Configuration);
builder.Services.AddFunctionHost();
builder.Services.AddClock();
builder.Services.AddWorkingDayCalendar();
builder.Services.AddCallerAuthentication();
builder.Services.AddApiDocument();
builder.Services.AddLedger();
builder.Services.AddStripe(builder.Configuration);
builder.Services.AddParties();
builder.Services.AddContracts(builder.Configuration);
builder.Services.AddDisputes(builder.Configuration);
builder.Services.AddReconciliation();
builder.Services.AddBilling();
builder.Services.AddDeposits(builder.Configuration);
builder.Services.AddSettlement(builder.Configuration);
builder.Services.AddStatementPayments();
builder.Services.AddDemo();

var app = builder.Build();

app.UseApiProblems();
app.UseCallerAuthentication();

app.MapHealthApi();
app.MapFunctionInvocations();
app.MapMeApi();
app.MapLedgerApi();
app.MapDevTokensApi(app.Environment);
app.MapApiDocument();
app.MapContractsApi();
app.MapStripeWebhookApi();
app.MapMerchantsApi();
app.MapVendorsApi();
app.MapDisputesApi();
app.MapReconciliationsApi();
app.MapReconciliationTolerancesApi();
app.MapServiceReportsApi();
app.MapShopExportsApi();
app.MapStatementDocumentsApi();
app.MapDepositsApi();
app.MapSettlementRunsApi();
app.MapStatementsApi();
app.MapReceivablesApi();
app.MapStatementPaymentsApi();
app.MapHolidayCalendarsApi();

app.Run();

/// <summary>Entry point; public so that in-process API tests can host the app.</summary>
public partial class Program;
