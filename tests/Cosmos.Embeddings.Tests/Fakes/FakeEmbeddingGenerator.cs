using System.Collections.Concurrent;
using Microsoft.Extensions.AI;

namespace Cosmos.Embeddings.Tests.Fakes;

/// <summary>An in-process provider that counts calls and inputs, answers deterministic vectors, and can fail or block on demand.</summary>
internal sealed class FakeEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly EmbeddingGeneratorMetadata _metadata;
    private int _calls;
    private int _inputs;
    private int _concurrent;
    private int _maxConcurrent;

    public FakeEmbeddingGenerator(string name = "fake", string? modelId = "fake-model", int dimensions = 4, bool declareModel = true)
    {
        Name = name;
        ModelId = modelId;
        Dimensions = dimensions;
        _metadata = new EmbeddingGeneratorMetadata(name, null, declareModel ? modelId : null, declareModel ? dimensions : null);
    }

    public string Name { get; }

    public string? ModelId { get; }

    public int Dimensions { get; }

    /// <summary>When set, every call throws what it returns (null = answer normally).</summary>
    public Func<IReadOnlyList<string>, Exception?>? Failure { get; set; }

    /// <summary>When set, calls wait for it before answering.</summary>
    public TaskCompletionSource? Gate { get; set; }

    /// <summary>When set, each call yields first so concurrent batches really overlap.</summary>
    public bool YieldFirst { get; set; }

    public int Calls => Volatile.Read(ref _calls);

    public int InputsSeen => Volatile.Read(ref _inputs);

    public int MaxConcurrent => Volatile.Read(ref _maxConcurrent);

    public ConcurrentQueue<string[]> Requests { get; } = new();

    public bool Disposed { get; private set; }

    /// <summary>The vector this fake answers for <paramref name="text"/>: element 0 is a stable hash, the rest the length.</summary>
    public static float[] VectorFor(string text, int dimensions)
    {
        var vector = new float[dimensions];
        vector[0] = (uint)StringComparer.Ordinal.GetHashCode(text) % 100_000;
        for (var i = 1; i < dimensions; i++)
        {
            vector[i] = text.Length + i;
        }

        return vector;
    }

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var inputs = values.ToArray();
        Interlocked.Increment(ref _calls);
        Interlocked.Add(ref _inputs, inputs.Length);
        Requests.Enqueue(inputs);
        var now = Interlocked.Increment(ref _concurrent);
        int seen;
        while (now > (seen = Volatile.Read(ref _maxConcurrent)) && Interlocked.CompareExchange(ref _maxConcurrent, now, seen) != seen)
        {
        }

        try
        {
            if (YieldFirst)
            {
                await Task.Yield();
            }

            if (Gate is { } gate)
            {
                await gate.Task.WaitAsync(cancellationToken);
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (Failure?.Invoke(inputs) is { } failure)
            {
                throw failure;
            }

            var dimensions = options?.Dimensions ?? Dimensions;
            var result = new GeneratedEmbeddings<Embedding<float>>(inputs.Length);
            foreach (var input in inputs)
            {
                result.Add(new Embedding<float>(VectorFor(input, dimensions)) { ModelId = ModelId });
            }

            return result;
        }
        finally
        {
            Interlocked.Decrement(ref _concurrent);
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose() => Disposed = true;
}
