using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace Cosmos.Embeddings.VectorData;

/// <summary>A Microsoft.Extensions.VectorData <see cref="VectorStore"/> whose collections are in-memory SIMD <see cref="VectorIndex"/>es.</summary>
/// <remarks>
/// <code>
/// var store = new VectorIndexStore(embeddingGenerator: generator);
/// var docs = store.GetCollection&lt;string, Doc&gt;("docs");
/// await docs.UpsertAsync(new Doc { Id = "1", Text = "...", Vector = await generator.GenerateVectorAsync("...") });
/// await foreach (var hit in docs.SearchAsync("what fails over?", top: 3, new() { Filter = d => d.Tenant == "a" })) { ... }
/// </code>
/// Keys are strings. Collections live as long as the store; <c>EnsureCollectionDeletedAsync</c> drops one.
/// </remarks>
public sealed class VectorIndexStore : VectorStore
{
    /// <summary>The name reported as <see cref="VectorStoreMetadata.VectorStoreSystemName"/>.</summary>
    public const string SystemName = "cosmos.vectorindex";

    private readonly ConcurrentDictionary<string, object> _collections = new(StringComparer.Ordinal);
    private readonly VectorIndexOptions _indexOptions;
    private readonly IEmbeddingGenerator<string, Embedding<float>>? _embeddingGenerator;
    private readonly string? _modelId;

    /// <summary>Creates an empty store.</summary>
    /// <param name="indexOptions">Storage of every collection's index (float or int8, rescoring); copied. <see langword="null"/> for the defaults.</param>
    /// <param name="embeddingGenerator">Turns text searches into vectors; optional (a collection definition may name its own).</param>
    /// <param name="modelId">The model id of the collections' indexes; <see langword="null"/> for the generator's model, else <c>vectordata:{collection}</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting of <paramref name="indexOptions"/> is out of range.</exception>
    public VectorIndexStore(VectorIndexOptions? indexOptions = null, IEmbeddingGenerator<string, Embedding<float>>? embeddingGenerator = null, string? modelId = null)
    {
        _indexOptions = indexOptions?.Clone() ?? new VectorIndexOptions();
        _indexOptions.Validate();
        _embeddingGenerator = embeddingGenerator;
        _modelId = modelId ?? embeddingGenerator?.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId;
    }

    /// <inheritdoc />
    /// <exception cref="NotSupportedException"><typeparamref name="TKey"/> is not <see langword="string"/>, or the record type has no string key or vector property.</exception>
    /// <exception cref="InvalidOperationException">The name is in use by a collection of another record type.</exception>
    [RequiresUnreferencedCode("Reads the record type's key and vector properties by reflection.")]
    [RequiresDynamicCode("Reads the record type's key and vector properties by reflection.")]
    public override VectorStoreCollection<TKey, TRecord> GetCollection<TKey, TRecord>(
        string name,
        VectorStoreCollectionDefinition? definition = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (typeof(TKey) != typeof(string))
        {
            throw new NotSupportedException($"The vector index store keys records by string; {typeof(TKey).Name} keys are not supported.");
        }

        var collection = _collections.GetOrAdd(
            name,
            static (n, state) => new VectorIndexCollection<TRecord>(
                n, RecordShape<TRecord>.ForType(typeof(TRecord), state.definition, state.store._embeddingGenerator), state.store._indexOptions, state.store.ModelIdFor(n), state.store.Forget),
            (store: this, definition));
        return collection as VectorStoreCollection<TKey, TRecord>
            ?? throw new InvalidOperationException($"Collection '{name}' holds records of another type ({collection.GetType().GenericTypeArguments[0].Name}).");
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> is <see langword="null"/>: a dynamic collection needs one.</exception>
    public override VectorStoreCollection<object, Dictionary<string, object?>> GetDynamicCollection(string name, VectorStoreCollectionDefinition definition)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(definition);
        throw new NotSupportedException("Dynamic (dictionary) collections with object keys are not supported by the vector index store; use GetCollection<string, TRecord>.");
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<string> ListCollectionNamesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var name in _collections.Keys)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return name;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override Task<bool> CollectionExistsAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Task.FromResult(_collections.ContainsKey(name));
    }

    /// <inheritdoc />
    public override Task EnsureCollectionDeletedAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_collections.TryRemove(name, out var collection))
        {
            ((IDisposable)collection).Dispose();
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(VectorStoreMetadata))
        {
            return new VectorStoreMetadata { VectorStoreSystemName = SystemName };
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var name in _collections.Keys)
            {
                if (_collections.TryRemove(name, out var collection))
                {
                    ((IDisposable)collection).Dispose();
                }
            }
        }

        base.Dispose(disposing);
    }

    private string ModelIdFor(string collection) => _modelId ?? "vectordata:" + collection;

    private void Forget(string name) => _collections.TryRemove(name, out _);
}
