using System.Text;

namespace Cosmos.Embeddings.Providers;

/// <summary>The most a provider accepts in one request: a number of inputs and, for some providers, an estimated token budget.</summary>
/// <remarks>
/// Providers expose their limits through <c>GetService(typeof(EmbeddingProviderLimits))</c> so a batching layer can split
/// any number of inputs into requests that fit. A single call that exceeds them throws <see cref="ArgumentException"/>.
/// </remarks>
public sealed class EmbeddingProviderLimits
{
    /// <summary>Creates limits.</summary>
    /// <param name="maxInputsPerRequest">The most inputs in one request; at least 1.</param>
    /// <param name="maxTokensPerRequest">The most estimated tokens in one request (see <see cref="EstimateTokens"/>), or <see langword="null"/> for no token budget.</param>
    /// <exception cref="ArgumentOutOfRangeException">A limit is less than 1.</exception>
    public EmbeddingProviderLimits(int maxInputsPerRequest, int? maxTokensPerRequest = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxInputsPerRequest, 1);
        if (maxTokensPerRequest is int tokens)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(tokens, 1, nameof(maxTokensPerRequest));
        }

        MaxInputsPerRequest = maxInputsPerRequest;
        MaxTokensPerRequest = maxTokensPerRequest;
    }

    /// <summary>The most inputs in one request.</summary>
    public int MaxInputsPerRequest { get; }

    /// <summary>The most estimated tokens in one request, or <see langword="null"/> when the provider has no request-wide token budget.</summary>
    public int? MaxTokensPerRequest { get; }

    /// <summary>Estimates the tokens a text costs without a tokenizer: <c>ceil(utf8Bytes / 3)</c>, at least 1.</summary>
    /// <remarks>
    /// Sub-word tokenizers average about 4 UTF-8 bytes per token on English and about 3 on CJK text, so dividing by 3
    /// over-estimates English (a request stays within the budget) and is close for CJK. It is an estimate, not a count:
    /// a server may still reject an input that is longer than its per-input limit.
    /// </remarks>
    /// <param name="text">The input text.</param>
    /// <returns>The estimated token count.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public static int EstimateTokens(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        long bytes = Encoding.UTF8.GetByteCount(text);
        return (int)Math.Max(1, (bytes + 2) / 3);
    }

    /// <summary>Throws when <paramref name="inputs"/> does not fit in one request.</summary>
    internal void EnsureWithin(IReadOnlyList<string> inputs, string providerName, string paramName)
    {
        if (inputs.Count > MaxInputsPerRequest)
        {
            throw new ArgumentException(
                $"Embedding provider '{providerName}' accepts at most {MaxInputsPerRequest} inputs per request but was given {inputs.Count}; split the inputs into batches (see EmbeddingProviderLimits).",
                paramName);
        }

        if (MaxTokensPerRequest is int budget)
        {
            long total = 0;
            for (int i = 0; i < inputs.Count; i++)
            {
                total += EstimateTokens(inputs[i]);
            }

            if (total > budget)
            {
            throw new ArgumentException(
                    $"Embedding provider '{providerName}' accepts at most {budget} estimated tokens per request but was given about {total}; split the inputs into batches (see EmbeddingProviderLimits).",
                    paramName);
            }
        }
    }
}
