using BenchmarkDotNet.Running;
using Cosmos.Benchmarks.Audit;
using Cosmos.Benchmarks.AuditPostgreSql;

// Runs the suites named by --filter, e.g. `-- --filter '*Velocity*'`. `-- http-load [rounds] [connections]` and
// `-- jwt-load [rounds] [validations]` run interleaved comparisons instead (fairer than back-to-back runs on a shared machine);
// `-- pg-catchup-latency` measures the event store's catch-up latency (a distribution per event, which BenchmarkDotNet does not report).
if (args is ["http-load", ..])
{
    await ProtectedEndpointLoad.RunAsync(args);
    return;
}

if (args is ["jwt-load", ..])
{
    await JwtValidationLoad.RunAsync(args);
    return;
}

if (args is ["pg-catchup-latency", ..])
{
    await CatchUpLatencyRun.RunAsync();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
