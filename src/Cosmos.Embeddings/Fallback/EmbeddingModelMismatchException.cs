namespace Cosmos.Embeddings.Fallback;

/// <summary>Thrown when only providers of another model or dimension than the chain's could answer and <see cref="ModelMixingPolicy.Fail"/> forbids mixing them.</summary>
public sealed class EmbeddingModelMismatchException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public EmbeddingModelMismatchException()
        : base("No provider of the chain's model space could answer, and model mixing is not allowed.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public EmbeddingModelMismatchException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the failure that caused the fallback.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The failure of the compatible providers.</param>
    public EmbeddingModelMismatchException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The model space of the chain's first provider, written <c>"{modelId}/{dimensions}"</c>.</summary>
    public string? ExpectedModelSpace { get; init; }

    /// <summary>The model spaces of the providers that were skipped because they differ.</summary>
    public IReadOnlyList<string> RejectedModelSpaces { get; init; } = [];
}
