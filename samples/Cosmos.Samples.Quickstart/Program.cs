// The Cosmos quickstart: one host wiring each package through DI on its embedded defaults.
// Each section lives in its own file so it can be read on its own.
using Cosmos.Samples.Quickstart;

var sections = new (string Title, Func<TextWriter, CancellationToken, Task> Run)[]
{
    ("Cosmos.Core", CoreDemo.RunAsync),
    ("Cosmos.Isolation", IsolationDemo.RunAsync),
    ("Cosmos.Audit", AuditDemo.RunAsync),
    ("Cosmos.Embeddings", EmbeddingsDemo.RunAsync),
};

using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
foreach (var (title, run) in sections)
{
    Console.WriteLine();
    Console.WriteLine($"=== {title} ===");
    await run(Console.Out, cts.Token);
}
