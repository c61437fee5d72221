using BenchmarkDotNet.Running;
using Cosmos.Benchmarks.AuditPostgreSql;

// `-- pg-catchup-latency` runs the measured console run of the event store's catch-up latency (a distribution per event,
// which BenchmarkDotNet does not report); anything else goes to BenchmarkDotNet, e.g. `-- --filter '*Velocity*'`.
if (args is ["pg-catchup-latency", ..])
{
    await CatchUpLatencyRun.RunAsync();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
