using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace Cosmos.Embeddings.VectorData;

/// <summary>A <see cref="VectorStoreCollection{TKey, TRecord}"/> over a SIMD <see cref="VectorIndex"/>: upsert, get, delete,
/// filtered get and top-k cosine search with scores, in memory, for Semantic Kernel and Microsoft.Extensions.AI users.</summary>
/// <typeparam name="TRecord">The record type: a class with a <see langword="string"/> <see cref="VectorStoreKeyAttribute"/> property and a
/// <see cref="VectorStoreVectorAttribute"/> property of <see cref="ReadOnlyMemory{T}"/> of <see langword="float"/>, <see langword="float"/>[]
/// or <see cref="Embedding{T}"/> (or a definition naming them), or <c>Dictionary&lt;string, object?&gt;</c> for a dynamic collection.</typeparam>
/// <remarks>
/// <para>Records are kept as given (not copied) next to their vectors; <c>IncludeVectors</c> does not strip them. Scores are cosine
/// similarities (higher is closer), exact for a float index and rescored exactly for int8. Filters are any predicate over the
/// record (equality filters included), applied before <c>top</c> and <c>Skip</c>: a filtered search widens its candidate set
/// until enough records pass or every record was scored.</para>
/// <para>Thread-safe: writes are serialised so a record and its vector change together; searches run concurrently.</para>
/// </remarks>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "It is a VectorStoreCollection, named like the connectors' collections.")]
public sealed class VectorIndexCollection<TRecord> : VectorStoreCollection<string, TRecord>
    where TRecord : class
{
    private readonly RecordShape<TRecord> _shape;
    private readonly VectorIndexOptions _indexOptions;
    private readonly string _modelId;
    private readonly Action<string>? _onDeleted;
    private readonly ConcurrentDictionary<string, TRecord> _records = new(StringComparer.Ordinal);
    private readonly Lock _writeGate = new();
    private VectorIndex? _index;

    internal VectorIndexCollection(string name, RecordShape<TRecord> shape, VectorIndexOptions indexOptions, string modelId, Action<string>? onDeleted)
    {
        Name = name;
        _shape = shape;
        _indexOptions = indexOptions;
        _modelId = modelId;
        _onDeleted = onDeleted;
    }

    /// <inheritdoc />
    public override string Name { get; }

    /// <summary>Gets the number of records stored.</summary>
    public int Count => _records.Count;

    /// <inheritdoc />
    public override Task<bool> CollectionExistsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(Volatile.Read(ref _index) is not null);

    /// <inheritdoc />
    public override Task EnsureCollectionExistsAsync(CancellationToken cancellationToken = default)
    {
        GetOrCreateIndex();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override Task EnsureCollectionDeletedAsync(CancellationToken cancellationToken = default)
    {
        lock (_writeGate)
        {
            var index = Interlocked.Exchange(ref _index, null);
            _records.Clear();
            index?.Dispose();
        }

        _onDeleted?.Invoke(Name);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override Task<TRecord?> GetAsync(string key, RecordRetrievalOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Task.FromResult(_records.TryGetValue(key, out var record) ? record : null);
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<TRecord> GetAsync(
        Expression<Func<TRecord, bool>> filter,
        int top,
        FilteredRecordRetrievalOptions<TRecord>? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(top);
        if (options?.OrderBy is not null)
        {
            throw new NotSupportedException("Ordering filtered gets is not supported by the vector index collection; order the results yourself.");
        }

        var predicate = filter.Compile();
        var skip = options?.Skip ?? 0;
        foreach (var record in _records.Values)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!predicate(record))
            {
                continue;
            }

            if (skip > 0)
            {
                skip--;
                continue;
            }

            yield return record;
            if (--top == 0)
            {
                yield break;
            }
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_writeGate)
        {
            _index?.Remove(key);
            _records.TryRemove(key, out _);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The record has no key, no vector, or a vector of another length; nothing is stored.</exception>
    public override Task UpsertAsync(TRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var key = _shape.GetKey(record);
        var vector = _shape.GetVector(record);
        var index = GetOrCreateIndex();
        lock (_writeGate)
        {
            index.Upsert(key, vector.Span);
            _records[key] = record;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override async Task UpsertAsync(IEnumerable<TRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        var i = 0;
        foreach (var record in records)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (record is null)
            {
                throw new ArgumentNullException(nameof(records), $"The record at index {i} is null.");
            }

            await UpsertAsync(record, cancellationToken).ConfigureAwait(false);
            i++;
        }
    }

    /// <inheritdoc />
    /// <remarks><typeparamref name="TInput"/> is a vector (<see cref="ReadOnlyMemory{T}"/> of <see langword="float"/>, <see langword="float"/>[],
    /// <see cref="Embedding{T}"/>) or, when the collection has an embedding generator, a <see langword="string"/>.</remarks>
    public override async IAsyncEnumerable<VectorSearchResult<TRecord>> SearchAsync<TInput>(
        TInput searchValue,
        int top,
        VectorSearchOptions<TRecord>? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(searchValue);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(top);
        var query = await ToQueryAsync(searchValue, cancellationToken).ConfigureAwait(false);
        var index = Volatile.Read(ref _index);
        if (index is null)
        {
            yield break;
        }

        var predicate = options?.Filter?.Compile();
        var skip = options?.Skip ?? 0;
        var wanted = top + skip;
        var threshold = options?.ScoreThreshold;
        var results = Collect(index, query, wanted, predicate);
        foreach (var (record, score) in results.Skip(skip))
        {
            if (threshold is double minimum && score < minimum)
            {
                yield break;
            }

            yield return new VectorSearchResult<TRecord>(record, score);
        }
    }

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(VectorStoreCollectionMetadata))
        {
            return new VectorStoreCollectionMetadata { VectorStoreSystemName = VectorIndexStore.SystemName, CollectionName = Name };
        }

        if (serviceType == typeof(VectorIndex))
        {
            return Volatile.Read(ref _index);
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Interlocked.Exchange(ref _index, null)?.Dispose();
        }

        base.Dispose(disposing);
    }

    private List<(TRecord Record, double Score)> Collect(VectorIndex index, ReadOnlyMemory<float> query, int wanted, Func<TRecord, bool>? predicate)
    {
        // Without a filter the best `wanted` hits are the answer. With one, widen the candidate set (4x, then doubling) until
        // enough pass the filter or every record was scored.
        var k = predicate is null ? wanted : Math.Max(wanted * 4, 16);
        while (true)
        {
            var total = index.Count;
            var hits = index.Search(query.Span, Math.Max(1, Math.Min(k, Math.Max(total, 1))));
            var results = new List<(TRecord, double)>(Math.Min(wanted, hits.Count));
            foreach (var hit in hits)
            {
                if (_records.TryGetValue(hit.Id, out var record) && (predicate is null || predicate(record)))
                {
                    results.Add((record, hit.Score));
                    if (results.Count == wanted)
                    {
                        return results;
                    }
                }
            }

            if (predicate is null || hits.Count >= total || k >= total)
            {
                return results;
            }

            k = (int)Math.Min((long)k * 2, int.MaxValue);
        }
    }

    private async ValueTask<ReadOnlyMemory<float>> ToQueryAsync<TInput>(TInput searchValue, CancellationToken cancellationToken)
    {
        if (RecordShape<TRecord>.ToVector(searchValue) is { } vector)
        {
            return vector;
        }

        if (searchValue is string text)
        {
            if (_shape.Generator is IEmbeddingGenerator<string, Embedding<float>> generator)
            {
                return await generator.GenerateVectorAsync(text, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            throw new InvalidOperationException(
                $"Collection '{Name}' has no embedding generator to turn text into a vector; pass one to the store or the collection definition, or search with a vector.");
        }

        throw new NotSupportedException($"Searching with a {typeof(TInput).Name} is not supported; use ReadOnlyMemory<float>, float[], Embedding<float> or string.");
    }

    private VectorIndex GetOrCreateIndex()
    {
        var index = Volatile.Read(ref _index);
        if (index is not null)
        {
            return index;
        }

        lock (_writeGate)
        {
            return _index ??= new VectorIndex(_modelId, _shape.Dimensions, _indexOptions);
        }
    }
}
