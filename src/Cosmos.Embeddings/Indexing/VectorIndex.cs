using System.Buffers;
using System.Collections.ObjectModel;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using Cosmos.Embeddings.Internal;
using Microsoft.Extensions.AI;

namespace Cosmos.Embeddings.Indexing;

/// <summary>
/// An in-memory index of L2-normalised vectors with exact top-k cosine search, bound to one embedding model
/// and dimension.
/// </summary>
/// <remarks>
/// <para>Vectors are normalised on the way in and stored row-major in one contiguous slab, so a search is one
/// sequential SIMD pass (four rows per pass share each query load) feeding a bounded min-heap of size k; the
/// score is <c>cosine(q, v) = (q / ‖q‖) · (v / ‖v‖)</c>. Equal scores are ordered by ordinal id.</para>
/// <para>With <see cref="VectorQuantization.Int8"/> the pass scans int8 codes (<c>code = round(127 · v / max|v|)</c>
/// per vector) and the best <c>k · RescoreOversampling</c> candidates are rescored exactly in float32. The float32 copy they
/// are rescored from lives in a file by default (<see cref="VectorRescoreStorage.File"/>), so the index holds about a quarter
/// of a float index's bytes; <see cref="VectorRescoreStorage.Memory"/> keeps it in memory instead.</para>
/// <para>Thread safety: a <see cref="ReaderWriterLockSlim"/> lets any number of searches (and <see cref="Save(Stream)"/>)
/// run together while <see cref="Add(string, ReadOnlySpan{float}, IReadOnlyDictionary{string, string}?)"/>,
/// <see cref="Upsert(string, ReadOnlySpan{float}, IReadOnlyDictionary{string, string}?)"/> and <see cref="Remove"/>
/// take it exclusively; removal moves the last row into the freed slot, so it is O(dimensions).</para>
/// <para>The model guard: the <see cref="Embedding{T}"/> overloads reject embeddings whose <see cref="Embedding.ModelId"/>
/// differs from <see cref="ModelId"/>, because vectors of different models are not comparable. The span overloads
/// trust the caller on the model and check only the dimension.</para>
/// </remarks>
public sealed partial class VectorIndex : IDisposable
{
    private const int ScoreChunkRows = 256;
    private const int MinGrowthRows = 16;

    // Below this many rows per thread, starting threads costs more than the scan they share.
    private const int MinRowsPerSearchThread = 32_768;

    private static readonly IReadOnlyDictionary<string, string> EmptyMetadata =
        new ReadOnlyDictionary<string, string>(new Dictionary<string, string>());

    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly Dictionary<string, int> _rowById;
    private readonly int _dimensions;
    private readonly VectorIndexOptions _options;
    private readonly FileFloatRows? _rescoreRows;
    private float[] _vectors;
    private byte[] _codes;
    private float[] _scales;
    private string[] _ids;
    private IReadOnlyDictionary<string, string>[] _metadata;
    private int _count;

    /// <summary>Creates an empty index for vectors of one model.</summary>
    /// <param name="modelId">The id of the model whose vectors this index holds, e.g. <see cref="LocalEmbeddingGenerator.ModelId"/>.</param>
    /// <param name="dimensions">The vector length.</param>
    /// <param name="options">Storage settings; copied. <see langword="null"/> uses the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="modelId"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="modelId"/> is empty or white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dimensions"/> is not positive, or a setting in <paramref name="options"/> is out of range.</exception>
    public VectorIndex(string modelId, int dimensions, VectorIndexOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);
        _options = options?.Clone() ?? new VectorIndexOptions();
        _options.Validate();
        ModelId = modelId;
        _dimensions = dimensions;
        int capacity = _options.InitialCapacity;
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, MaxRows(dimensions), "options.InitialCapacity");
        _rowById = new Dictionary<string, int>(capacity, StringComparer.Ordinal);
        if (IsQuantized && _options.RescoreStorage == VectorRescoreStorage.File)
        {
            // Only the int8 codes stay in memory; rescoring reads the few candidate rows back from the file.
            _rescoreRows = new FileFloatRows(_options.RescoreFilePath, dimensions);
            _vectors = [];
        }
        else
        {
            _vectors = AllocateUninitialized<float>(capacity * dimensions);
        }

        _codes = IsQuantized ? AllocateUninitialized<byte>(capacity * dimensions) : [];
        _scales = IsQuantized ? new float[capacity] : [];
        _ids = new string[capacity];
        _metadata = new IReadOnlyDictionary<string, string>[capacity];
    }

    /// <summary>Gets the id of the model whose vectors this index holds.</summary>
    public string ModelId { get; }

    /// <summary>Gets the vector length.</summary>
    public int Dimensions => _dimensions;

    /// <summary>Gets how searches scan the vectors.</summary>
    public VectorQuantization Quantization => _options.Quantization;

    /// <summary>Gets how many int8 candidates per requested result are rescored exactly.</summary>
    public int RescoreOversampling => _options.RescoreOversampling;

    /// <summary>Gets the number of stored vectors.</summary>
    public int Count
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return _count;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    private bool IsQuantized => _options.Quantization == VectorQuantization.Int8;

    /// <summary>Adds a vector under a new id.</summary>
    /// <param name="id">The entry's id, unique in this index (ordinal comparison).</param>
    /// <param name="vector">The vector, <see cref="Dimensions"/> long, finite, not all zero; stored normalised.</param>
    /// <param name="metadata">Optional metadata returned with search hits; copied.</param>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The id exists already, or the vector has the wrong length, a NaN or infinite element (named by index), or zero norm.</exception>
    public void Add(string id, ReadOnlySpan<float> vector, IReadOnlyDictionary<string, string>? metadata = null)
    {
        Write(id, vector, metadata, allowReplace: false);
    }

    /// <summary>Adds an embedding under a new id after checking that it comes from <see cref="ModelId"/>.</summary>
    /// <param name="id">The entry's id, unique in this index (ordinal comparison).</param>
    /// <param name="embedding">The embedding; its <see cref="Embedding.ModelId"/> must equal <see cref="ModelId"/>.</param>
    /// <param name="metadata">Optional metadata returned with search hits; copied.</param>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> or <paramref name="embedding"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The embedding comes from another model, or see <see cref="Add(string, ReadOnlySpan{float}, IReadOnlyDictionary{string, string}?)"/>.</exception>
    public void Add(string id, Embedding<float> embedding, IReadOnlyDictionary<string, string>? metadata = null)
    {
        EnsureSameModel(embedding);
        Add(id, embedding.Vector.Span, metadata);
    }

    /// <summary>Adds a vector, or replaces the vector and metadata stored under <paramref name="id"/>.</summary>
    /// <param name="id">The entry's id (ordinal comparison).</param>
    /// <param name="vector">The vector, <see cref="Dimensions"/> long, finite, not all zero; stored normalised.</param>
    /// <param name="metadata">Optional metadata returned with search hits; copied; replaces any earlier metadata.</param>
    /// <returns><see langword="true"/> when the id was new; <see langword="false"/> when an entry was replaced.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The vector has the wrong length, a NaN or infinite element (named by index), or zero norm.</exception>
    public bool Upsert(string id, ReadOnlySpan<float> vector, IReadOnlyDictionary<string, string>? metadata = null)
        => Write(id, vector, metadata, allowReplace: true);

    /// <summary>Adds or replaces an embedding after checking that it comes from <see cref="ModelId"/>.</summary>
    /// <param name="id">The entry's id (ordinal comparison).</param>
    /// <param name="embedding">The embedding; its <see cref="Embedding.ModelId"/> must equal <see cref="ModelId"/>.</param>
    /// <param name="metadata">Optional metadata returned with search hits; copied; replaces any earlier metadata.</param>
    /// <returns><see langword="true"/> when the id was new; <see langword="false"/> when an entry was replaced.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> or <paramref name="embedding"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The embedding comes from another model, or its vector is invalid.</exception>
    public bool Upsert(string id, Embedding<float> embedding, IReadOnlyDictionary<string, string>? metadata = null)
    {
        EnsureSameModel(embedding);
        return Upsert(id, embedding.Vector.Span, metadata);
    }

    /// <summary>Removes the entry stored under <paramref name="id"/>.</summary>
    /// <param name="id">The entry's id.</param>
    /// <returns><see langword="true"/> when an entry was removed; <see langword="false"/> when none had that id.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is <see langword="null"/>.</exception>
    public bool Remove(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        _lock.EnterWriteLock();
        try
        {
            if (!_rowById.Remove(id, out int row))
            {
                return false;
            }

            int last = _count - 1;
            if (row != last)
            {
                // Swap-with-last keeps the slab dense without shifting every later row.
                MoveFloatRow(last, row);
                if (IsQuantized)
                {
                    _codes.AsSpan(last * _dimensions, _dimensions).CopyTo(_codes.AsSpan(row * _dimensions, _dimensions));
                    _scales[row] = _scales[last];
                }

                _ids[row] = _ids[last];
                _metadata[row] = _metadata[last];
                _rowById[_ids[row]] = row;
            }

            _ids[last] = null!;
            _metadata[last] = null!;
            _count = last;
            return true;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Returns whether an entry is stored under <paramref name="id"/>.</summary>
    /// <param name="id">The entry's id.</param>
    /// <returns><see langword="true"/> when the id is present.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is <see langword="null"/>.</exception>
    public bool Contains(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        _lock.EnterReadLock();
        try
        {
            return _rowById.ContainsKey(id);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Returns the <paramref name="k"/> entries most similar to <paramref name="query"/>, best first.</summary>
    /// <param name="query">The query vector, <see cref="Dimensions"/> long, finite, not all zero; it need not be normalised.</param>
    /// <param name="k">The maximum number of results; fewer are returned when the index holds fewer entries.</param>
    /// <returns>The hits ordered by descending cosine similarity, then by ordinal id.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is not positive.</exception>
    /// <exception cref="ArgumentException">The query has the wrong length, a NaN or infinite element (named by index), or zero norm.</exception>
    public IReadOnlyList<VectorSearchResult> Search(ReadOnlySpan<float> query, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        _lock.EnterReadLock();
        try
        {
            var results = new VectorSearchResult[Math.Min(k, _count)];
            int written = SearchLocked(query, results, nameof(query));
            return written == results.Length ? results : results[..written];
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Returns the <paramref name="k"/> entries most similar to an embedding of <see cref="ModelId"/>, best first.</summary>
    /// <param name="query">The query embedding; its <see cref="Embedding.ModelId"/> must equal <see cref="ModelId"/>.</param>
    /// <param name="k">The maximum number of results.</param>
    /// <returns>The hits ordered by descending cosine similarity, then by ordinal id.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is not positive.</exception>
    /// <exception cref="ArgumentException">The embedding comes from another model, or its vector is invalid.</exception>
    public IReadOnlyList<VectorSearchResult> Search(Embedding<float> query, int k)
    {
        EnsureSameModel(query);
        return Search(query.Vector.Span, k);
    }

    /// <summary>Writes the best <c>destination.Length</c> hits for <paramref name="query"/> into <paramref name="destination"/>, best first, without allocating.</summary>
    /// <param name="query">The query vector, <see cref="Dimensions"/> long, finite, not all zero.</param>
    /// <param name="destination">Receives the hits; its length is k.</param>
    /// <returns>The number of hits written: <c>min(destination.Length, Count)</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="destination"/> is empty.</exception>
    /// <exception cref="ArgumentException">The query has the wrong length, a NaN or infinite element (named by index), or zero norm.</exception>
    public int Search(ReadOnlySpan<float> query, Span<VectorSearchResult> destination)
    {
        ArgumentOutOfRangeException.ThrowIfZero(destination.Length, nameof(destination));
        _lock.EnterReadLock();
        try
        {
            return SearchLocked(query, destination, nameof(query));
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Releases the lock and the rescoring file (deleted unless the host named it); the index must not be used afterwards.</summary>
    public void Dispose()
    {
        _lock.Dispose();
        _rescoreRows?.Dispose();
    }

    /// <summary>Gets the path of the file holding the float32 copy used for rescoring, or <see langword="null"/> when it is in memory.</summary>
    public string? RescoreFilePath => _rescoreRows?.Path;

    /// <summary>Exposes the float slab to benchmarks that measure a pass over the same bytes.</summary>
    internal ReadOnlySpan<float> FloatStorage => _vectors.AsSpan(0, _count * _dimensions);

    private static int MaxRows(int dimensions) => Array.MaxLength / dimensions;

    private static T[] AllocateUninitialized<T>(int length)
        => length == 0 ? [] : GC.AllocateUninitializedArray<T>(length);

    private bool Write(string id, ReadOnlySpan<float> vector, IReadOnlyDictionary<string, string>? metadata, bool allowReplace)
    {
        ArgumentNullException.ThrowIfNull(id);
        ValidateVector(vector, nameof(vector));
        IReadOnlyDictionary<string, string> storedMetadata = CopyMetadata(metadata);

        _lock.EnterWriteLock();
        try
        {
            bool added = !_rowById.TryGetValue(id, out int row);
            if (!added && !allowReplace)
            {
                throw new ArgumentException($"An entry with id '{id}' already exists in the index; use Upsert to replace it.", nameof(id));
            }

            if (added)
            {
                EnsureCapacity(_count + 1);
                row = _count++;
                _rowById.Add(id, row);
                _ids[row] = id;
            }

            StoreRow(row, vector);
            _metadata[row] = storedMetadata;
            return added;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    private void StoreRow(int row, ReadOnlySpan<float> vector)
    {
        float norm = TensorPrimitives.Norm(vector);
        if (_rescoreRows is null)
        {
            Span<float> target = _vectors.AsSpan(row * _dimensions, _dimensions);
            TensorPrimitives.Divide(vector, norm, target);
            if (IsQuantized)
            {
                _scales[row] = Quantize(target, _codes.AsSpan(row * _dimensions, _dimensions));
            }

            return;
        }

        float[] buffer = ArrayPool<float>.Shared.Rent(_dimensions);
        try
        {
            Span<float> normalised = buffer.AsSpan(0, _dimensions);
            TensorPrimitives.Divide(vector, norm, normalised);
            _scales[row] = Quantize(normalised, _codes.AsSpan(row * _dimensions, _dimensions));
            _rescoreRows.Write(row, normalised);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    private void MoveFloatRow(int from, int to)
    {
        if (_rescoreRows is null)
        {
            _vectors.AsSpan(from * _dimensions, _dimensions).CopyTo(_vectors.AsSpan(to * _dimensions, _dimensions));
            return;
        }

        float[] buffer = ArrayPool<float>.Shared.Rent(_dimensions);
        try
        {
            Span<float> row = buffer.AsSpan(0, _dimensions);
            _rescoreRows.Read(from, row);
            _rescoreRows.Write(to, row);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    /// <summary>The stored unit vector of <paramref name="row"/>: a view of the slab, or read from the rescoring file into <paramref name="buffer"/>.</summary>
    private ReadOnlySpan<float> ReadFloatRow(int row, float[] buffer)
    {
        if (_rescoreRows is null)
        {
            return _vectors.AsSpan(row * _dimensions, _dimensions);
        }

        Span<float> destination = buffer.AsSpan(0, _dimensions);
        _rescoreRows.Read(row, destination);
        return destination;
    }

    /// <summary>
    /// Symmetric int8 with a +128 storage bias: <c>stored = 128 + round(v · 127 / max|v|)</c>; returns the scale
    /// <c>max|v| / 127</c> that maps codes back to values.
    /// </summary>
    private static float Quantize(ReadOnlySpan<float> vector, Span<byte> biasedCodes)
    {
        float maxAbs = Math.Abs(TensorPrimitives.MaxMagnitude(vector));
        float inverse = 127f / maxAbs;
        for (int j = 0; j < vector.Length; j++)
        {
            biasedCodes[j] = (byte)(128 + (int)Math.Clamp(MathF.Round(vector[j] * inverse), -127f, 127f));
        }

        return maxAbs / 127f;
    }

    /// <summary>Symmetric int8 of the query: <c>code = round(v · 127 / max|v|)</c>; returns Σ code for removing the rows' bias.</summary>
    private static int QuantizeQuery(ReadOnlySpan<float> vector, Span<sbyte> codes)
    {
        float inverse = 127f / Math.Abs(TensorPrimitives.MaxMagnitude(vector));
        int sum = 0;
        for (int j = 0; j < vector.Length; j++)
        {
            codes[j] = (sbyte)Math.Clamp(MathF.Round(vector[j] * inverse), -127f, 127f);
            sum += codes[j];
        }

        return sum;
    }

    private void EnsureCapacity(int rows)
    {
        if (rows <= _ids.Length)
        {
            return;
        }

        int maxRows = MaxRows(_dimensions);
        if (rows > maxRows)
        {
            throw new InvalidOperationException($"The index cannot hold more than {maxRows} vectors of {_dimensions} dimensions.");
        }

        int capacity = (int)Math.Clamp(Math.Max((long)_ids.Length * 2, MinGrowthRows), rows, maxRows);
        if (_rescoreRows is null)
        {
            float[] vectors = AllocateUninitialized<float>(capacity * _dimensions);
            _vectors.AsSpan(0, _count * _dimensions).CopyTo(vectors);
            _vectors = vectors;
        }

        if (IsQuantized)
        {
            byte[] codes = AllocateUninitialized<byte>(capacity * _dimensions);
            _codes.AsSpan(0, _count * _dimensions).CopyTo(codes);
            _codes = codes;
            Array.Resize(ref _scales, capacity);
        }

        Array.Resize(ref _ids, capacity);
        Array.Resize(ref _metadata, capacity);
    }

    private int SearchLocked(ReadOnlySpan<float> query, Span<VectorSearchResult> destination, string paramName)
    {
        ValidateVector(query, paramName);
        int k = Math.Min(destination.Length, _count);
        if (k == 0)
        {
            return 0;
        }

        float[] normalisedArray = ArrayPool<float>.Shared.Rent(_dimensions);
        int[] rows = ArrayPool<int>.Shared.Rent(k);
        float[] scores = ArrayPool<float>.Shared.Rent(k);
        try
        {
            Span<float> normalised = normalisedArray.AsSpan(0, _dimensions);
            TensorPrimitives.Divide(query, TensorPrimitives.Norm(query), normalised);

            var top = new TopKCollector(k, _ids);
            try
            {
                if (IsQuantized)
                {
                    CollectQuantized(normalisedArray, ref top, k);
                }
                else
                {
                    CollectExact(normalisedArray, ref top, k);
                }

                top.Drain(rows, scores);
            }
            finally
            {
                top.Dispose();
            }

            for (int i = 0; i < k; i++)
            {
                destination[i] = new VectorSearchResult(_ids[rows[i]], scores[i], _metadata[rows[i]]);
            }

            return k;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(normalisedArray);
            ArrayPool<int>.Shared.Return(rows);
            ArrayPool<float>.Shared.Return(scores);
        }
    }

    private void CollectExact(float[] query, ref TopKCollector top, int capacity)
    {
        int workers = SearchThreads();
        if (workers <= 1)
        {
            ScanExact(query.AsSpan(0, _dimensions), 0, _count, ref top);
        }
        else
        {
            ScanExactInParallel(workers, capacity, ref top, query);
        }
    }

    // Separate methods so the closures are only allocated by searches that split: C# allocates a lambda's captured
    // variables when their scope is entered, whichever branch runs.
    private void ScanExactInParallel(int workers, int capacity, ref TopKCollector top, float[] query) =>
        ScanInParallel(workers, capacity, ref top, (int from, int to, ref TopKCollector collector) => ScanExact(query.AsSpan(0, _dimensions), from, to, ref collector));

    private void ScanQuantizedInParallel(int workers, int capacity, ref TopKCollector top, sbyte[] queryCodes, int bias) =>
        ScanInParallel(workers, capacity, ref top, (int from, int to, ref TopKCollector collector) => ScanQuantized(queryCodes.AsSpan(0, _dimensions), bias, from, to, ref collector));

    /// <summary>How many threads a search over the current rows uses: none beyond the caller's below two ranges' worth.</summary>
    private int SearchThreads() => (int)Math.Min(_options.MaxDegreeOfParallelism ?? Environment.ProcessorCount, (long)_count / MinRowsPerSearchThread);

    private void ScanExact(ReadOnlySpan<float> query, int from, int to, ref TopKCollector top)
    {
        Span<float> scores = stackalloc float[ScoreChunkRows];
        ReadOnlySpan<float> slab = _vectors;
        for (int start = from; start < to; start += ScoreChunkRows)
        {
            int n = Math.Min(ScoreChunkRows, to - start);
            Span<float> chunk = scores[..n];
            VectorKernels.DotRows(query, slab.Slice(start * _dimensions, n * _dimensions), chunk);
            // The threshold lives in a local and is refreshed only after an offer: almost every row fails the
            // comparison, so the common path is one compare per row.
            float threshold = top.Threshold;
            for (int i = 0; i < chunk.Length; i++)
            {
                if (chunk[i] >= threshold)
                {
                    top.Offer(chunk[i], start + i);
                    threshold = top.Threshold;
                }
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="scan"/> over contiguous ranges of the rows in parallel, each into its own collector of
    /// <paramref name="capacity"/>, and merges them into <paramref name="top"/>. The best <c>capacity</c> of the union are the
    /// best of the ranges' best, and ties break by id, so the result does not depend on the split.
    /// </summary>
    private void ScanInParallel(int workers, int capacity, ref TopKCollector top, RangeScan scan)
    {
        var rows = new int[workers][];
        var scores = new float[workers][];
        var counts = new int[workers];
        try
        {
            Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
            {
                int from = (int)((long)_count * w / workers);
                int to = (int)((long)_count * (w + 1) / workers);
                var local = new TopKCollector(capacity, _ids);
                try
                {
                    scan(from, to, ref local);
                    counts[w] = local.Count;
                    rows[w] = ArrayPool<int>.Shared.Rent(Math.Max(1, local.Count));
                    scores[w] = ArrayPool<float>.Shared.Rent(Math.Max(1, local.Count));
                    local.Drain(rows[w], scores[w]);
                }
                finally
                {
                    local.Dispose();
                }
            });

            for (int w = 0; w < workers; w++)
            {
                for (int i = 0; i < counts[w]; i++)
                {
                    top.Offer(scores[w][i], rows[w][i]);
                }
            }
        }
        finally
        {
            for (int w = 0; w < workers; w++)
            {
                if (rows[w] is not null)
                {
                    ArrayPool<int>.Shared.Return(rows[w]);
                }

                if (scores[w] is not null)
                {
                    ArrayPool<float>.Shared.Return(scores[w]);
                }
            }
        }
    }

    private void CollectQuantized(float[] queryArray, ref TopKCollector top, int k)
    {
        ReadOnlySpan<float> query = queryArray.AsSpan(0, _dimensions);
        int candidates = (int)Math.Min((long)k * _options.RescoreOversampling, _count);
        sbyte[] queryCodesArray = ArrayPool<sbyte>.Shared.Rent(_dimensions);
        int[] candidateRows = ArrayPool<int>.Shared.Rent(candidates);
        float[] candidateScores = ArrayPool<float>.Shared.Rent(candidates);
        try
        {
            // The query's own scale is the same for every row, so ranking by scale(row) · Σ code_q · code_row is exact
            // up to quantisation error and the query scale can be dropped. The kernels see rows with a +128 bias,
            // which adds the same 128 · Σ code_q to every row; it is subtracted here.
            int bias = 128 * QuantizeQuery(query, queryCodesArray.AsSpan(0, _dimensions));

            var coarse = new TopKCollector(candidates, _ids);
            try
            {
                int workers = SearchThreads();
                if (workers <= 1)
                {
                    ScanQuantized(queryCodesArray.AsSpan(0, _dimensions), bias, 0, _count, ref coarse);
                }
                else
                {
                    ScanQuantizedInParallel(workers, candidates, ref coarse, queryCodesArray, bias);
                }

                coarse.Drain(candidateRows, candidateScores);
            }
            finally
            {
                coarse.Dispose();
            }

            Span<float> exact = stackalloc float[1];
            float[] rowBuffer = ArrayPool<float>.Shared.Rent(_dimensions);
            try
            {
                for (int c = 0; c < candidates; c++)
                {
                    int row = candidateRows[c];
                    VectorKernels.DotRows(query, ReadFloatRow(row, rowBuffer), exact);
                    top.Offer(exact[0], row);
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(rowBuffer);
            }
        }
        finally
        {
            ArrayPool<sbyte>.Shared.Return(queryCodesArray);
            ArrayPool<int>.Shared.Return(candidateRows);
            ArrayPool<float>.Shared.Return(candidateScores);
        }
    }

    private void ScanQuantized(ReadOnlySpan<sbyte> queryCodes, int bias, int from, int to, ref TopKCollector coarse)
    {
        Span<int> dots = stackalloc int[ScoreChunkRows];
        ReadOnlySpan<byte> codes = _codes;
        ReadOnlySpan<float> allScales = _scales;
        float threshold = coarse.Threshold;
        for (int start = from; start < to; start += ScoreChunkRows)
        {
            int n = Math.Min(ScoreChunkRows, to - start);
            Span<int> chunk = dots[..n];
            ReadOnlySpan<float> scales = allScales.Slice(start, n);
            VectorKernels.DotRowsInt8(queryCodes, codes.Slice(start * _dimensions, n * _dimensions), chunk);
            int i = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                // Eight approximate scores per compare; only rows at or above the threshold leave the vector path.
                Vector256<int> biasVector = Vector256.Create(bias);
                for (; i + Vector256<int>.Count <= n; i += Vector256<int>.Count)
                {
                    Vector256<float> approximate = Vector256.ConvertToSingle(Vector256.Create(chunk.Slice(i, Vector256<int>.Count)) - biasVector)
                        * Vector256.Create(scales.Slice(i, Vector256<float>.Count));
                    uint hits = Vector256.GreaterThanOrEqual(approximate, Vector256.Create(threshold)).ExtractMostSignificantBits();
                    while (hits != 0)
                    {
                        int lane = BitOperations.TrailingZeroCount(hits);
                        hits &= hits - 1;
                        float score = approximate.GetElement(lane);
                        if (score >= threshold)
                        {
                            coarse.Offer(score, start + i + lane);
                            threshold = coarse.Threshold;
                        }
                    }
                }
            }

            for (; i < n; i++)
            {
                float approximate = (chunk[i] - bias) * scales[i];
                if (approximate >= threshold)
                {
                    coarse.Offer(approximate, start + i);
                    threshold = coarse.Threshold;
                }
            }
        }
    }

    private delegate void RangeScan(int from, int to, ref TopKCollector collector);

    private void ValidateVector(ReadOnlySpan<float> vector, string paramName)
    {
        if (vector.Length != _dimensions)
        {
            throw new ArgumentException(
                $"The vector has {vector.Length} elements but index '{ModelId}' holds vectors of {_dimensions} dimensions.",
                paramName);
        }

        for (int i = 0; i < vector.Length; i++)
        {
            if (!float.IsFinite(vector[i]))
            {
                throw new ArgumentException($"{paramName}[{i}] is {vector[i]}; vector elements must be finite.", paramName);
            }
        }

        float norm = TensorPrimitives.Norm(vector);
        if (!(norm > 0f) || !float.IsFinite(norm))
        {
            throw new ArgumentException(
                $"The vector's L2 norm is {norm}; cosine similarity needs a non-zero, finite norm (an empty text embeds to the zero vector).",
                paramName);
        }
    }

    private void EnsureSameModel(Embedding<float> embedding)
    {
        ArgumentNullException.ThrowIfNull(embedding);
        if (!string.Equals(embedding.ModelId, ModelId, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"The embedding comes from model '{embedding.ModelId ?? "(unknown)"}' but this index holds vectors of model '{ModelId}' ({_dimensions} dimensions). "
                + "Vectors of different models are not comparable; keep one index per model.",
                nameof(embedding));
        }
    }

    private static IReadOnlyDictionary<string, string> CopyMetadata(IReadOnlyDictionary<string, string>? metadata)
    {
        if (metadata is null || metadata.Count == 0)
        {
            return EmptyMetadata;
        }

        var copy = new Dictionary<string, string>(metadata.Count, StringComparer.Ordinal);
        foreach (KeyValuePair<string, string> pair in metadata)
        {
            if (pair.Value is null)
            {
                throw new ArgumentException($"Metadata value for key '{pair.Key}' is null.", nameof(metadata));
            }

            copy.Add(pair.Key, pair.Value);
        }

        return new ReadOnlyDictionary<string, string>(copy);
    }
}
