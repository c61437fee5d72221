namespace Cosmos.Embeddings.Batching;

/// <summary>Progress of one batched embedding request, counted in inputs.</summary>
/// <param name="Completed">Inputs embedded so far.</param>
/// <param name="Failed">Inputs whose batch failed so far.</param>
/// <param name="Total">Inputs in the request.</param>
public readonly record struct EmbeddingBatchProgress(int Completed, int Failed, int Total)
{
    /// <summary>Inputs finished either way: <c>Completed + Failed</c>.</summary>
    public int Processed => Completed + Failed;

    /// <summary>Inputs not finished yet: <c>Total - Completed - Failed</c>.</summary>
    public int Remaining => Total - Completed - Failed;
}
