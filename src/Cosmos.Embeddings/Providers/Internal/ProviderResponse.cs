using Microsoft.Extensions.AI;

namespace Cosmos.Embeddings.Providers.Internal;

/// <summary>Checks a provider's vectors against the request and wraps them as <see cref="GeneratedEmbeddings{TEmbedding}"/>.</summary>
internal static class ProviderResponse
{
    /// <summary>Validates count, dimensions and finiteness, then stamps model id and creation time on each embedding.</summary>
    /// <exception cref="EmbeddingProviderException">The vectors do not match the request.</exception>
    public static GeneratedEmbeddings<Embedding<float>> Build(
        ProviderHttpTransport transport,
        IReadOnlyList<float[]?>? vectors,
        int inputCount,
        int? expectedDimensions,
        string? modelId,
        UsageDetails? usage,
        long started)
    {
        if (vectors is null)
        {
            throw transport.ResponseFailure(EmbeddingProviderFailureReason.MalformedResponse, "returned no embeddings.", started);
        }

        if (vectors.Count != inputCount)
        {
            throw transport.ResponseFailure(EmbeddingProviderFailureReason.MalformedResponse, $"returned {vectors.Count} vectors for {inputCount} inputs.", started);
        }

        int dimensions = expectedDimensions ?? vectors[0]?.Length ?? 0;
        var createdAt = transport.TimeProvider.GetUtcNow();
        var result = new GeneratedEmbeddings<Embedding<float>>(inputCount) { Usage = usage };
        for (int i = 0; i < vectors.Count; i++)
        {
            var vector = vectors[i];
            if (vector is null || vector.Length == 0)
            {
                throw transport.ResponseFailure(EmbeddingProviderFailureReason.MalformedResponse, $"returned an empty vector at index {i}.", started);
            }

            if (vector.Length != dimensions)
            {
                throw transport.ResponseFailure(
                    EmbeddingProviderFailureReason.DimensionMismatch,
                    $"returned a vector of {vector.Length} dimensions at index {i}; expected {dimensions}" + (expectedDimensions is null ? " (the first vector's length)." : "."),
                    started);
            }

            int bad = IndexOfNonFinite(vector);
            if (bad >= 0)
            {
                throw transport.ResponseFailure(EmbeddingProviderFailureReason.MalformedResponse, $"returned a non-finite value in the vector at index {i}, component {bad}.", started);
            }

            result.Add(new Embedding<float>(vector) { ModelId = modelId, CreatedAt = createdAt });
        }

        transport.LogSuccess(inputCount, modelId, started);
        return result;
    }

    /// <summary>Returns the inputs as a list, rejecting null entries, and checks them against <paramref name="limits"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    /// <exception cref="ArgumentException">An input is null, or the inputs exceed the provider's limits.</exception>
    public static IReadOnlyList<string> PrepareInputs(IEnumerable<string> values, EmbeddingProviderLimits limits, string providerName)
    {
        ArgumentNullException.ThrowIfNull(values);
        var inputs = values as IReadOnlyList<string> ?? values.ToArray();
        limits.EnsureWithin(inputs, providerName, nameof(values));
        return inputs;
    }

    /// <summary>Reads a string property such as <see cref="EmbeddingPropertyNames.InputType"/> from per-call options.</summary>
    public static string? GetString(EmbeddingGenerationOptions? options, string key) =>
        options?.AdditionalProperties is { } properties && properties.TryGetValue(key, out object? value) && value is not null
            ? value.ToString()
            : null;

    /// <summary>Answers <c>GetService</c> for every provider.</summary>
    public static object? GetService(object generator, EmbeddingGeneratorMetadata metadata, EmbeddingProviderLimits limits, Type serviceType, object? serviceKey)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(EmbeddingGeneratorMetadata))
        {
            return metadata;
        }

        if (serviceType == typeof(EmbeddingProviderLimits))
        {
            return limits;
        }

        return serviceType.IsInstanceOfType(generator) ? generator : null;
    }

    /// <summary>Puts OpenAI-style items (<c>{index, embedding}</c>) in input order, honouring their indices rather than the array order.</summary>
    /// <exception cref="EmbeddingProviderException">An index is out of range or repeated.</exception>
    public static float[]?[]? OrderByIndex(ProviderHttpTransport transport, List<OpenAIEmbeddingItem?>? data, int inputCount, long started)
    {
        if (data is null || data.Count != inputCount)
        {
            // Build() reports the count mismatch.
            return data?.Select(d => d?.Embedding).ToArray();
        }

        var ordered = new float[]?[inputCount];
        for (int i = 0; i < data.Count; i++)
        {
            var item = data[i];
            int index = item?.Index ?? i;
            if ((uint)index >= (uint)inputCount || ordered[index] is not null)
            {
                throw transport.ResponseFailure(EmbeddingProviderFailureReason.MalformedResponse, $"returned an invalid or repeated index {index} for item {i}.", started);
            }

            ordered[index] = item?.Embedding ?? [];
        }

        return ordered;
    }

    private static int IndexOfNonFinite(float[] vector)
    {
        for (int i = 0; i < vector.Length; i++)
        {
            if (!float.IsFinite(vector[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
