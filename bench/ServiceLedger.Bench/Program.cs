// Benchmarks and timed scenarios. Usage: dotnet run -c Release --project bench/ServiceLedger.Bench -- <scenario>
using ServiceLedger.Bench;

switch (args.FirstOrDefault())
{
    case "ledger":
        return await LedgerBench.RunAsync();
    case "settlement-engine":
        return SettlementEngineBench.Run();
    case "reconcile":
        return ReconcileBench.Run(args.Skip(1).ToArray());
    case "settlement-run":
        return await SettlementRunBench.RunAsync(args[1..]);
    default:
        Console.Error.WriteLine("usage: ServiceLedger.Bench <scenario>; scenarios: ledger, settlement-engine, reconcile [--count N], settlement-run [--contracts N] [--months M] [--restart] [--trace]");
        return 2;
}
