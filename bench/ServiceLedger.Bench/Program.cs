// Benchmarks and timed scenarios. Usage: dotnet run -c Release --project bench/ServiceLedger.Bench -- <scenario>
Console.Error.WriteLine("usage: ServiceLedger.Bench <scenario>; no scenario is registered yet");
return 2;
