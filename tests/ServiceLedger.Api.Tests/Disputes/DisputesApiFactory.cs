namespace ServiceLedger.Api.Tests.Disputes;

using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using ServiceLedger.Domain.Contracts;
using ServiceLedger.Domain.Money;
using ServiceLedger.Functions.Adapters.Queues;
using ServiceLedger.Functions.Configuration;
using ServiceLedger.Functions.Disputes;
using ServiceLedger.TestSupport.Contracts;

/// <summary>
/// The app for dispute API tests: contracts as in <see cref="ContractsApiFactory"/>, and statement lines a test declares
/// with <see cref="AddStatementLine"/> (the statements capability answers this port in the running app).
/// </summary>
public sealed class DisputesApiFactory : ContractsApiFactory
{
    private readonly ConcurrentDictionary<(ContractId, string, int?), Money> lines = new();

    /// <summary>Declares line <paramref name="line"/> (or the whole statement, when null) of a contract's statement.</summary>
    public void AddStatementLine(ContractId contract, string statementId, int? line, Money amount) => lines[(contract, statementId, line)] = amount;

    /// <summary>The notices waiting on the dispute notification queue (up to 32), decoded.</summary>
    public async Task<IReadOnlyList<DisputeNotice>> PeekNoticesAsync()
    {
        var queue = Services.GetRequiredService<QueueServiceClient>().GetQueueClient(StorageNames.DisputeNotificationsQueue);
        var messages = await queue.PeekMessagesAsync(32, CancellationToken.None);
        return [.. messages.Select(message => JsonSerializer.Deserialize<DisputeNotice>(Encoding.UTF8.GetString(Convert.FromBase64String(message.MessageText)), DisputeJson.Options)!)];
    }

    /// <inheritdoc />
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<IStatementLines>(new DeclaredLines(lines)));
    }

    private sealed class DeclaredLines(ConcurrentDictionary<(ContractId, string, int?), Money> lines) : IStatementLines
    {
        public Task<StatementLineFacts?> FindAsync(ContractId contract, string statementId, int? line, CancellationToken cancellationToken) =>
            Task.FromResult(lines.TryGetValue((contract, statementId, line), out var amount) ? new StatementLineFacts(amount) : null);
    }
}
