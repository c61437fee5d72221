// The Cosmos quickstart: one host wiring each package through DI on its embedded defaults.
// Each section lives in its own file so it can be read on its own.
using Cosmos.Core.Telemetry;
using Cosmos.Samples.Quickstart;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

// Every package reports on a meter and an activity source named after it; a host subscribes by name.
string[] telemetrySources = [CoreTelemetry.MeterName, "Cosmos.Isolation", "Cosmos.Audit", "Cosmos.Embeddings"];

// The OpenTelemetry SDK with its console exporter, holding everything back until the end so the demo output stays
// readable: spans are batched with no scheduled export, metrics have no export interval; both are flushed once below.
var resource = ResourceBuilder.CreateEmpty().AddService("Cosmos.Samples.Quickstart");
using var tracing = Sdk.CreateTracerProviderBuilder()
    .SetResourceBuilder(resource)
    .AddSource(telemetrySources)
    .AddProcessor(new BatchActivityExportProcessor(
        new ConsoleActivityExporter(new ConsoleExporterOptions()),
        maxQueueSize: 8192,
        scheduledDelayMilliseconds: int.MaxValue,
        exporterTimeoutMilliseconds: 30_000,
        maxExportBatchSize: 8192))
    .Build();
using var metrics = Sdk.CreateMeterProviderBuilder()
    .SetResourceBuilder(resource)
    .AddMeter(telemetrySources)
    .AddConsoleExporter((_, reader) => reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = Timeout.Infinite)
    .Build();

var sections = new (string Title, Func<TextWriter, CancellationToken, Task> Run)[]
{
    ("Cosmos.Core: layers and velocity math", CoreMathDemo.RunAsync),
    ("Cosmos.Core: graph, memory pool, tiered cache, parallel executor", CoreInfrastructureDemo.RunAsync),
    ("Cosmos.Isolation: detect, isolate, recover", IsolationDemo.RunAsync),
    ("Cosmos.Audit: token, user, permission, stamped write, audit log", AuditDemo.RunAsync),
    ("Cosmos.Embeddings: local provider, search, fallback", EmbeddingsDemo.RunAsync),
};

using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
foreach (var (title, run) in sections)
{
    Console.WriteLine();
    Console.WriteLine($"=== {title} ===");
    await run(Console.Out, cts.Token);
}

// Counters, histograms and spans of the whole run. Observable instruments (pool and cache levels) are read on each
// export while their service provider lives; each section disposes its own, so a long-running host sees them here.
Console.WriteLine();
Console.WriteLine($"=== Telemetry of {string.Join(", ", telemetrySources)} (OpenTelemetry console exporter) ===");
tracing.ForceFlush();
metrics.ForceFlush();
