using BenchmarkDotNet.Running;
using Cosmos.Benchmarks.Audit;
using Cosmos.Benchmarks.Isolation;

// Runs the suites named by --filter, e.g. `-- --filter '*Velocity*'`. `-- http-load [rounds] [connections]` and
// `-- jwt-load [rounds] [validations]` and
// `-- guarded-load [rounds] [calls]` (thread CPU time) run interleaved comparisons instead (fairer than back-to-back runs on a shared machine).
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

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
