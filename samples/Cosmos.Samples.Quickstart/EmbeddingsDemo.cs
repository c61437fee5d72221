namespace Cosmos.Samples.Quickstart;

/// <summary>The Cosmos.Embeddings section of the quickstart.</summary>
internal static class EmbeddingsDemo
{
    public static Task RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        output.WriteLine("(this section is not written yet)");
        return Task.CompletedTask;
    }
}
