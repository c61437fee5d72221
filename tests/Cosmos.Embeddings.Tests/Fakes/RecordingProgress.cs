using System.Collections.Concurrent;

namespace Cosmos.Embeddings.Tests.Fakes;

/// <summary>A synchronous <see cref="IProgress{T}"/> that keeps every report (Progress&lt;T&gt; would post them later).</summary>
internal sealed class RecordingProgress : IProgress<EmbeddingBatchProgress>
{
    private readonly ConcurrentQueue<EmbeddingBatchProgress> _reports = new();

    public IReadOnlyList<EmbeddingBatchProgress> Reports => [.. _reports];

    public void Report(EmbeddingBatchProgress value) => _reports.Enqueue(value);
}
