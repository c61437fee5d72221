using BenchmarkDotNet.Running;

// Runs the suites named by --filter, e.g. `-- --filter '*Velocity*'`.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
