using BenchmarkDotNet.Running;
using Cosmos.Benchmarks.Core;

if (args is ["--chunkpool-cpu-time"])
{
    ChunkPoolCpuTime.Run(Console.Out);
    return;
}

// Runs the suites named by --filter, e.g. `-- --filter '*Velocity*'`.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
