using BenchmarkDotNet.Running;
using Cosmos.Benchmarks.Audit;
using Cosmos.Benchmarks.AuditPostgreSql;
using Cosmos.Benchmarks.Core;
using Cosmos.Benchmarks.Isolation;

// Runs the suites named by --filter, e.g. `-- --filter '*Velocity*'`. `-- http-load [rounds] [connections] [httpclient|raw]` and
// `-- jwt-load [rounds] [validations]` run interleaved comparisons instead (fairer than back-to-back runs on a shared machine);
// `-- guarded-load [rounds] [calls]` compares guarded calls by thread CPU time; `-- --chunkpool-cpu-time` times the chunk pool by thread CPU time;
// `-- pg-catchup-latency` measures the event store's catch-up latency (a distribution per event, which BenchmarkDotNet does not report).
if (args is ["http-load", ..])
{
    await ProtectedEndpointLoad.RunAsync(args);
    return;
}

if (args is ["guarded-load", ..])
{
    await GuardedCallLoad.RunAsync(args);
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

if (args is ["--chunkpool-cpu-time"])
{
    ChunkPoolCpuTime.Run(Console.Out);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
