using Microsoft.Extensions.AI;

namespace Cosmos.Embeddings.Batching;

/// <summary>
/// Thrown when one or more batches of a request failed after every batch was tried: it names the failed inputs by their
/// position in the request and carries the embeddings of the inputs that succeeded, so a caller can retry only the failures.
/// </summary>
/// <remarks>The <see cref="Exception.InnerException"/> is an <see cref="AggregateException"/> with each failed batch's exception.</remarks>
public sealed class EmbeddingBatchException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public EmbeddingBatchException()
        : base("One or more embedding batches failed.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public EmbeddingBatchException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the batches' failures.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The batches' failures.</param>
    public EmbeddingBatchException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Positions, in the request's input order and ascending, of the inputs whose batch failed.</summary>
    public IReadOnlyList<int> FailedInputIndices { get; init; } = [];

    /// <summary>One entry per input of the request: its embedding, or <see langword="null"/> when its batch failed.</summary>
    public IReadOnlyList<Embedding<float>?> Embeddings { get; init; } = [];
}
