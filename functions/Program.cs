using ServiceLedger.Functions.Adapters.Storage;
using ServiceLedger.Functions.Apis;
using ServiceLedger.Functions.Auth;
using ServiceLedger.Functions.Errors;
using ServiceLedger.Functions.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.ListenWhereTheFunctionsHostExpects();

builder.Services.AddApiProblems();
builder.Services.AddStorage(builder.Configuration);
builder.Services.AddCallerAuthentication();

var app = builder.Build();

app.UseApiProblems();
app.UseCallerAuthentication();

app.MapHealthApi();
app.MapMeApi();
app.MapDevTokensApi(app.Environment);

app.Run();

/// <summary>Entry point; public so that in-process API tests can host the app.</summary>
public partial class Program;
