namespace Cosmos.Samples.Quickstart;

/// <summary>The Cosmos.Core graph, pool, cache and executor section of the quickstart.</summary>
internal static class CoreInfrastructureDemo
{
    public static Task RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        output.WriteLine("(this section is not written yet)");
        return Task.CompletedTask;
    }
}
