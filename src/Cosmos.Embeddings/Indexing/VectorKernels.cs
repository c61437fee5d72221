using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Cosmos.Embeddings.Indexing;

/// <summary>
/// Dot-product kernels that score many contiguous rows against one query. Four rows share each load of the
/// query, so a pass reads the query from L1 once per four rows and the rows stream from memory exactly once.
/// </summary>
internal static class VectorKernels
{
    private const int BlockRows = 4;

    // How many rows ahead of the block being scored the scans ask for cache lines (about 12 KB for 384-d float rows, 6 KB for
    // int8 rows): measured on 1M × 384, it lets the memory system run ahead of the hardware prefetcher, which follows only a
    // few streams and stops at 4 KB pages (float 57 → 53 ms, int8 19 → 16 ms per search).
    private const int FloatPrefetchRows = 8;
    private const int Int8PrefetchRows = 16;

    /// <summary>Computes <c>scores[r] = Σ_j query[j] · rows[r · dims + j]</c> for every row r.</summary>
    public static void DotRows(ReadOnlySpan<float> query, ReadOnlySpan<float> rows, Span<float> scores)
    {
        if (Vector512.IsHardwareAccelerated && query.Length >= Vector512<float>.Count)
        {
            DotRowsVector512(query, rows, scores);
        }
        else if (Vector256.IsHardwareAccelerated && query.Length >= Vector256<float>.Count)
        {
            DotRowsVector256(query, rows, scores);
        }
        else
        {
            DotRowsTensorPrimitives(query, rows, scores);
        }
    }

    /// <summary>
    /// Computes <c>scores[r] = Σ_j rows[r · dims + j] · query[j]</c> for unsigned 8-bit rows (int8 codes stored with a
    /// +128 bias) against a signed int8 query; the caller removes the bias as <c>128 · Σ_j query[j]</c>.
    /// </summary>
    /// <remarks>
    /// The bias lets the row side be unsigned, which is what VNNI's <c>vpdpbusd</c> multiplies (u8 × s8 summed in
    /// fours into int32): one instruction per 32 elements and row. |products| ≤ 255 · 127 · 4 per lane and step,
    /// so int32 cannot overflow below 16 million dimensions.
    /// </remarks>
    public static void DotRowsInt8(ReadOnlySpan<sbyte> query, ReadOnlySpan<byte> rows, Span<int> scores)
    {
        if (AvxVnni.IsSupported && query.Length >= Vector256<sbyte>.Count)
        {
            DotRowsInt8Vnni(query, rows, scores);
        }
        else if (Avx512BW.IsSupported && query.Length >= Vector512<short>.Count)
        {
            DotRowsInt8Avx512(query, rows, scores);
        }
        else if (Avx2.IsSupported && query.Length >= Vector256<short>.Count)
        {
            DotRowsInt8Avx2(query, rows, scores);
        }
        else
        {
            DotRowsInt8Scalar(query, rows, scores);
        }
    }

    internal static void DotRowsTensorPrimitives(ReadOnlySpan<float> query, ReadOnlySpan<float> rows, Span<float> scores)
    {
        int dims = query.Length;
        for (int r = 0; r < scores.Length; r++)
        {
            scores[r] = TensorPrimitives.Dot(query, rows.Slice(r * dims, dims));
        }
    }

    internal static void DotRowsScalar(ReadOnlySpan<float> query, ReadOnlySpan<float> rows, Span<float> scores)
    {
        int dims = query.Length;
        for (int r = 0; r < scores.Length; r++)
        {
            ReadOnlySpan<float> row = rows.Slice(r * dims, dims);
            float sum = 0f;
            for (int j = 0; j < dims; j++)
            {
                sum += query[j] * row[j];
            }

            scores[r] = sum;
        }
    }

    internal static void DotRowsVector512(ReadOnlySpan<float> query, ReadOnlySpan<float> rows, Span<float> scores)
    {
        int dims = query.Length;
        int n = scores.Length;
        if (rows.Length < n * dims)
        {
            throw new ArgumentException($"rows holds {rows.Length} values; {n} rows of {dims} need {n * dims}.", nameof(rows));
        }

        ref float q = ref MemoryMarshal.GetReference(query);
        ref float m = ref MemoryMarshal.GetReference(rows);
        int vectorEnd = dims - (dims % Vector512<float>.Count);
        int r = 0;
        for (; r + BlockRows <= n; r += BlockRows)
        {
            nuint b0 = (nuint)(r * dims);
            nuint b1 = b0 + (nuint)dims;
            nuint b2 = b1 + (nuint)dims;
            nuint b3 = b2 + (nuint)dims;
            PrefetchBlock(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref m, b0)), (nuint)(FloatPrefetchRows * dims * sizeof(float)), BlockRows * dims * sizeof(float));

            Vector512<float> a0 = Vector512<float>.Zero, a1 = Vector512<float>.Zero, a2 = Vector512<float>.Zero, a3 = Vector512<float>.Zero;
            for (int j = 0; j < vectorEnd; j += Vector512<float>.Count)
            {
                Vector512<float> qv = Vector512.LoadUnsafe(ref q, (nuint)j);
                a0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref m, b0 + (nuint)j), qv, a0);
                a1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref m, b1 + (nuint)j), qv, a1);
                a2 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref m, b2 + (nuint)j), qv, a2);
                a3 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref m, b3 + (nuint)j), qv, a3);
            }

            scores[r] = Vector512.Sum(a0) + ScalarTail(query, rows, (int)b0, vectorEnd);
            scores[r + 1] = Vector512.Sum(a1) + ScalarTail(query, rows, (int)b1, vectorEnd);
            scores[r + 2] = Vector512.Sum(a2) + ScalarTail(query, rows, (int)b2, vectorEnd);
            scores[r + 3] = Vector512.Sum(a3) + ScalarTail(query, rows, (int)b3, vectorEnd);
        }

        for (; r < n; r++)
        {
            nuint b = (nuint)(r * dims);
            Vector512<float> a = Vector512<float>.Zero;
            for (int j = 0; j < vectorEnd; j += Vector512<float>.Count)
            {
                a = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref m, b + (nuint)j), Vector512.LoadUnsafe(ref q, (nuint)j), a);
            }

            scores[r] = Vector512.Sum(a) + ScalarTail(query, rows, (int)b, vectorEnd);
        }
    }

    internal static void DotRowsVector256(ReadOnlySpan<float> query, ReadOnlySpan<float> rows, Span<float> scores)
    {
        int dims = query.Length;
        int n = scores.Length;
        if (rows.Length < n * dims)
        {
            throw new ArgumentException($"rows holds {rows.Length} values; {n} rows of {dims} need {n * dims}.", nameof(rows));
        }

        ref float q = ref MemoryMarshal.GetReference(query);
        ref float m = ref MemoryMarshal.GetReference(rows);
        int vectorEnd = dims - (dims % Vector256<float>.Count);
        int r = 0;
        for (; r + BlockRows <= n; r += BlockRows)
        {
            nuint b0 = (nuint)(r * dims);
            nuint b1 = b0 + (nuint)dims;
            nuint b2 = b1 + (nuint)dims;
            nuint b3 = b2 + (nuint)dims;
            PrefetchBlock(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref m, b0)), (nuint)(FloatPrefetchRows * dims * sizeof(float)), BlockRows * dims * sizeof(float));
            Vector256<float> a0 = Vector256<float>.Zero, a1 = Vector256<float>.Zero, a2 = Vector256<float>.Zero, a3 = Vector256<float>.Zero;
            for (int j = 0; j < vectorEnd; j += Vector256<float>.Count)
            {
                Vector256<float> qv = Vector256.LoadUnsafe(ref q, (nuint)j);
                a0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref m, b0 + (nuint)j), qv, a0);
                a1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref m, b1 + (nuint)j), qv, a1);
                a2 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref m, b2 + (nuint)j), qv, a2);
                a3 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref m, b3 + (nuint)j), qv, a3);
            }

            scores[r] = Vector256.Sum(a0) + ScalarTail(query, rows, (int)b0, vectorEnd);
            scores[r + 1] = Vector256.Sum(a1) + ScalarTail(query, rows, (int)b1, vectorEnd);
            scores[r + 2] = Vector256.Sum(a2) + ScalarTail(query, rows, (int)b2, vectorEnd);
            scores[r + 3] = Vector256.Sum(a3) + ScalarTail(query, rows, (int)b3, vectorEnd);
        }

        for (; r < n; r++)
        {
            nuint b = (nuint)(r * dims);
            Vector256<float> a = Vector256<float>.Zero;
            for (int j = 0; j < vectorEnd; j += Vector256<float>.Count)
            {
                a = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref m, b + (nuint)j), Vector256.LoadUnsafe(ref q, (nuint)j), a);
            }

            scores[r] = Vector256.Sum(a) + ScalarTail(query, rows, (int)b, vectorEnd);
        }
    }

    internal static void DotRowsInt8Scalar(ReadOnlySpan<sbyte> query, ReadOnlySpan<byte> rows, Span<int> scores)
    {
        int dims = query.Length;
        for (int r = 0; r < scores.Length; r++)
        {
            ReadOnlySpan<byte> row = rows.Slice(r * dims, dims);
            int sum = 0;
            for (int j = 0; j < dims; j++)
            {
                sum += query[j] * row[j];
            }

            scores[r] = sum;
        }
    }

    internal static void DotRowsInt8Vnni(ReadOnlySpan<sbyte> query, ReadOnlySpan<byte> rows, Span<int> scores)
    {
        int dims = query.Length;
        int n = scores.Length;
        CheckRows(rows.Length, n, dims);
        ref sbyte q = ref MemoryMarshal.GetReference(query);
        ref byte m = ref MemoryMarshal.GetReference(rows);
        ref int s = ref MemoryMarshal.GetReference(scores);
        const int Step = 32;
        int vectorEnd = dims - (dims % Step);
        int pairEnd = dims - (dims % (2 * Step));
        int r = 0;
        for (; r + BlockRows <= n; r += BlockRows)
        {
            nuint b0 = (nuint)(r * dims);
            nuint b1 = b0 + (nuint)dims;
            nuint b2 = b1 + (nuint)dims;
            nuint b3 = b2 + (nuint)dims;

            PrefetchBlock(ref Unsafe.Add(ref m, b0), (nuint)(Int8PrefetchRows * dims), BlockRows * dims);

            // Two accumulators per row (even and odd steps) make eight independent vpdpbusd chains, enough to hide its latency.
            Vector256<int> e0 = Vector256<int>.Zero, e1 = Vector256<int>.Zero, e2 = Vector256<int>.Zero, e3 = Vector256<int>.Zero;
            Vector256<int> o0 = Vector256<int>.Zero, o1 = Vector256<int>.Zero, o2 = Vector256<int>.Zero, o3 = Vector256<int>.Zero;
            int j = 0;
            for (; j < pairEnd; j += 2 * Step)
            {
                Vector256<sbyte> qe = Vector256.LoadUnsafe(ref q, (nuint)j);
                Vector256<sbyte> qo = Vector256.LoadUnsafe(ref q, (nuint)(j + Step));
                e0 = AvxVnni.MultiplyWideningAndAdd(e0, Vector256.LoadUnsafe(ref m, b0 + (nuint)j), qe);
                o0 = AvxVnni.MultiplyWideningAndAdd(o0, Vector256.LoadUnsafe(ref m, b0 + (nuint)(j + Step)), qo);
                e1 = AvxVnni.MultiplyWideningAndAdd(e1, Vector256.LoadUnsafe(ref m, b1 + (nuint)j), qe);
                o1 = AvxVnni.MultiplyWideningAndAdd(o1, Vector256.LoadUnsafe(ref m, b1 + (nuint)(j + Step)), qo);
                e2 = AvxVnni.MultiplyWideningAndAdd(e2, Vector256.LoadUnsafe(ref m, b2 + (nuint)j), qe);
                o2 = AvxVnni.MultiplyWideningAndAdd(o2, Vector256.LoadUnsafe(ref m, b2 + (nuint)(j + Step)), qo);
                e3 = AvxVnni.MultiplyWideningAndAdd(e3, Vector256.LoadUnsafe(ref m, b3 + (nuint)j), qe);
                o3 = AvxVnni.MultiplyWideningAndAdd(o3, Vector256.LoadUnsafe(ref m, b3 + (nuint)(j + Step)), qo);
            }

            if (j < vectorEnd)
            {
                Vector256<sbyte> qe = Vector256.LoadUnsafe(ref q, (nuint)j);
                e0 = AvxVnni.MultiplyWideningAndAdd(e0, Vector256.LoadUnsafe(ref m, b0 + (nuint)j), qe);
                e1 = AvxVnni.MultiplyWideningAndAdd(e1, Vector256.LoadUnsafe(ref m, b1 + (nuint)j), qe);
                e2 = AvxVnni.MultiplyWideningAndAdd(e2, Vector256.LoadUnsafe(ref m, b2 + (nuint)j), qe);
                e3 = AvxVnni.MultiplyWideningAndAdd(e3, Vector256.LoadUnsafe(ref m, b3 + (nuint)j), qe);
            }

            // Reduce the four rows together: three horizontal adds leave [row0..row3] in each 128-bit half, then the halves add.
            Vector256<int> h01 = Avx2.HorizontalAdd(e0 + o0, e1 + o1);
            Vector256<int> h23 = Avx2.HorizontalAdd(e2 + o2, e3 + o3);
            Vector256<int> h = Avx2.HorizontalAdd(h01, h23);
            Vector128<int> sums = h.GetLower() + h.GetUpper();
            if (vectorEnd < dims)
            {
                sums += Vector128.Create(
                    ScalarTail(query, rows, (int)b0, vectorEnd),
                    ScalarTail(query, rows, (int)b1, vectorEnd),
                    ScalarTail(query, rows, (int)b2, vectorEnd),
                    ScalarTail(query, rows, (int)b3, vectorEnd));
            }

            sums.StoreUnsafe(ref s, (nuint)r);
        }

        for (; r < n; r++)
        {
            nuint b = (nuint)(r * dims);
            Vector256<int> a = Vector256<int>.Zero;
            for (int j = 0; j < vectorEnd; j += Step)
            {
                a = AvxVnni.MultiplyWideningAndAdd(a, Vector256.LoadUnsafe(ref m, b + (nuint)j), Vector256.LoadUnsafe(ref q, (nuint)j));
            }

            scores[r] = Vector256.Sum(a) + ScalarTail(query, rows, (int)b, vectorEnd);
        }
    }

    internal static void DotRowsInt8Avx512(ReadOnlySpan<sbyte> query, ReadOnlySpan<byte> rows, Span<int> scores)
    {
        int dims = query.Length;
        int n = scores.Length;
        CheckRows(rows.Length, n, dims);
        short[] widened = ArrayPool<short>.Shared.Rent(dims);
        try
        {
            for (int j = 0; j < dims; j++)
            {
                widened[j] = query[j];
            }

            ref short q = ref MemoryMarshal.GetArrayDataReference(widened);
            ref byte m = ref MemoryMarshal.GetReference(rows);
            int vectorEnd = dims - (dims % Vector512<short>.Count);
            for (int r = 0; r < n; r++)
            {
                nuint b = (nuint)(r * dims);
                Vector512<int> a = Vector512<int>.Zero;
                for (int j = 0; j < vectorEnd; j += Vector512<short>.Count)
                {
                    // vpmaddwd on zero-extended rows: int16 products summed in adjacent pairs into int32 lanes.
                    a += Avx512BW.MultiplyAddAdjacent(Avx512BW.ConvertToVector512Int16(Vector256.LoadUnsafe(ref m, b + (nuint)j)), Vector512.LoadUnsafe(ref q, (nuint)j));
                }

                scores[r] = Vector512.Sum(a) + ScalarTail(query, rows, (int)b, vectorEnd);
            }
        }
        finally
        {
            ArrayPool<short>.Shared.Return(widened);
        }
    }

    internal static void DotRowsInt8Avx2(ReadOnlySpan<sbyte> query, ReadOnlySpan<byte> rows, Span<int> scores)
    {
        int dims = query.Length;
        int n = scores.Length;
        CheckRows(rows.Length, n, dims);
        short[] widened = ArrayPool<short>.Shared.Rent(dims);
        try
        {
            for (int j = 0; j < dims; j++)
            {
                widened[j] = query[j];
            }

            ref short q = ref MemoryMarshal.GetArrayDataReference(widened);
            ref byte m = ref MemoryMarshal.GetReference(rows);
            int vectorEnd = dims - (dims % Vector256<short>.Count);
            for (int r = 0; r < n; r++)
            {
                nuint b = (nuint)(r * dims);
                Vector256<int> a = Vector256<int>.Zero;
                for (int j = 0; j < vectorEnd; j += Vector256<short>.Count)
                {
                    a += Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref m, b + (nuint)j)), Vector256.LoadUnsafe(ref q, (nuint)j));
                }

                scores[r] = Vector256.Sum(a) + ScalarTail(query, rows, (int)b, vectorEnd);
            }
        }
        finally
        {
            ArrayPool<short>.Shared.Return(widened);
        }
    }

    /// <summary>Asks for the cache lines of <paramref name="bytes"/> bytes starting <paramref name="distance"/> bytes past
    /// <paramref name="blockStart"/>. A prefetch is a hint: an address past the end of the rows (or of a moved array) is ignored
    /// by the processor, never dereferenced.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void PrefetchBlock(ref byte blockStart, nuint distance, int bytes)
    {
        if (Sse.IsSupported)
        {
            // Plain pointer arithmetic: no managed reference ever points outside the rows.
            byte* ahead = (byte*)Unsafe.AsPointer(ref blockStart) + distance;
            for (int line = 0; line < bytes; line += 64)
            {
                Sse.Prefetch0(ahead + line);
            }
        }
    }

    private static void CheckRows(int rowValues, int rows, int dims)
    {
        if (rowValues < rows * dims)
        {
            throw new ArgumentException($"rows holds {rowValues} values; {rows} rows of {dims} need {rows * dims}.", nameof(rows));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float ScalarTail(ReadOnlySpan<float> query, ReadOnlySpan<float> rows, int rowStart, int from)
    {
        float sum = 0f;
        for (int j = from; j < query.Length; j++)
        {
            sum += query[j] * rows[rowStart + j];
        }

        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ScalarTail(ReadOnlySpan<sbyte> query, ReadOnlySpan<byte> rows, int rowStart, int from)
    {
        int sum = 0;
        for (int j = from; j < query.Length; j++)
        {
            sum += query[j] * rows[rowStart + j];
        }

        return sum;
    }
}
