using System.Text;

namespace Cosmos.Embeddings;

/// <summary>Token estimators used to keep batches under a provider's per-request token budget.</summary>
public static class EmbeddingTokenEstimator
{
    /// <summary>Estimates tokens as <c>max(1, ⌈UTF-8 bytes / 4⌉)</c>: about right for English with BPE tokenizers, conservative for most other text.</summary>
    /// <param name="text">The input text.</param>
    /// <returns>The estimated token count, at least 1.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public static int Utf8BytesDividedByFour(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = Encoding.UTF8.GetByteCount(text);
        return Math.Max(1, (bytes + 3) / 4);
    }
}
