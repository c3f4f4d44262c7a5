// Benchmarks and timed scenarios. Usage: dotnet run -c Release --project bench/ServiceLedger.Bench -- <scenario>
using ServiceLedger.Bench;

switch (args.FirstOrDefault())
{
    case "ledger":
        return await LedgerBench.RunAsync();
    case "reconcile":
        return ReconcileBench.Run(args.Skip(1).ToArray());
    default:
        Console.Error.WriteLine("usage: ServiceLedger.Bench <scenario>; scenarios: ledger, reconcile [--count N]");
        return 2;
}
