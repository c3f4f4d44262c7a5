using ServiceLedger.Functions.Adapters.Storage;
using ServiceLedger.Functions.Apis;
using ServiceLedger.Functions.Hosting;
using ServiceLedger.Functions.Parties;

var builder = WebApplication.CreateBuilder(args);
builder.ListenWhereTheFunctionsHostExpects();

builder.Services.AddProblemDetails();
builder.Services.AddStorage(builder.Configuration);
builder.Services.AddParties();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();

app.MapHealthApi();

app.Run();

/// <summary>Entry point; public so that in-process API tests can host the app.</summary>
public partial class Program;
