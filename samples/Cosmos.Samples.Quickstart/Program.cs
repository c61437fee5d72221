// The Cosmos quickstart: one host wiring each package through DI on its embedded defaults.
// Each section lives in its own file so it can be read on its own.
using Cosmos.Samples.Quickstart;

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
