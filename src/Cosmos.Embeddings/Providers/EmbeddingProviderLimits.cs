using System.Text;
using Cosmos.Embeddings.Internal;

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
    /// <param name="maxTokensPerInput">The most estimated tokens of one input (OpenAI: 8,191), or <see langword="null"/> when the provider has no per-input limit or truncates.</param>
    /// <exception cref="ArgumentOutOfRangeException">A limit is less than 1.</exception>
    public EmbeddingProviderLimits(int maxInputsPerRequest, int? maxTokensPerRequest = null, int? maxTokensPerInput = null)
    {
        if (maxTokensPerInput is int perInput)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(perInput, 1, nameof(maxTokensPerInput));
        }

        MaxTokensPerInput = maxTokensPerInput;
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

    /// <summary>The most estimated tokens of one input, or <see langword="null"/> when the provider has no per-input limit (or truncates long inputs itself).</summary>
    public int? MaxTokensPerInput { get; }

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

    /// <summary>Throws, before anything is sent, when an input is blank or too long or <paramref name="inputs"/> does not fit in one request.</summary>
    internal void EnsureWithin(IReadOnlyList<string> inputs, string providerName, string paramName)
    {
        for (int i = 0; i < inputs.Count; i++)
        {
            InputGuard.ThrowIfBlank(inputs[i], i, paramName);
            if (MaxTokensPerInput is int perInput && EstimateTokens(inputs[i]) is var estimate && estimate > perInput)
            {
                throw new ArgumentException(
                    $"The input at index {i} has about {estimate} tokens; embedding provider '{providerName}' accepts at most {perInput} tokens per input. Shorten or split it (the estimate is ⌈UTF-8 bytes / 3⌉).",
                    paramName);
            }
        }

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
