// Benchmarks and timed scenarios. Usage: dotnet run -c Release --project bench/ServiceLedger.Bench -- <scenario>
using ServiceLedger.Bench;

switch (args.FirstOrDefault())
{
    case "ledger":
        return await LedgerBench.RunAsync();
    default:
        Console.Error.WriteLine("usage: ServiceLedger.Bench <scenario>; scenarios: ledger");
        return 2;
}
