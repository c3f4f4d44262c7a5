using ServiceLedger.Functions.Adapters.Storage;
using ServiceLedger.Functions.Adapters.Stripe;
using ServiceLedger.Functions.Apis;
using ServiceLedger.Functions.Auth;
using ServiceLedger.Functions.Configuration;
using ServiceLedger.Functions.Hosting;
using ServiceLedger.Functions.Ledger;
using ServiceLedger.Functions.Parties;

var builder = WebApplication.CreateBuilder(args);
builder.ListenWhereTheFunctionsHostExpects();

builder.Services.AddProblemDetails();
builder.Services.AddStorage(builder.Configuration);
builder.Services.AddFunctionHost();
builder.Services.AddClock();
builder.Services.AddWorkingDayCalendar();
builder.Services.AddCallerAuthentication();
builder.Services.AddLedger();
builder.Services.AddStripe(builder.Configuration);
builder.Services.AddParties();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseCallerAuthentication();

app.MapHealthApi();
app.MapFunctionInvocations();
app.MapMeApi();
app.MapDevTokensApi(app.Environment);
app.MapMerchantsApi();
app.MapVendorsApi();

app.Run();

/// <summary>Entry point; public so that in-process API tests can host the app.</summary>
public partial class Program;
