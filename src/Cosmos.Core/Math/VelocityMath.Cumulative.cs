using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Cosmos.Core.Math;

// Cumulative velocity V = 1 − ∏(1 − vᵢ) without the naive product's cancellation.
//
// The product P = ∏(1 − vᵢ) is never formed: the kernel carries Q = 1 − P directly with the recurrence
//     Q ← Q + v·(1 − Q)        (one fused multiply-add per element)
// whose terms are all ≥ 0, so nothing cancels; when Q ≥ 0.5 the subtraction 1 − Q is exact (Sterbenz). An error ε
// already in Q is not amplified by a step (its weight is 1 − v ≤ 1 and Q only grows), and each step adds at most 2u
// relative error (u = 2⁻⁵³), so a chain of L steps is accurate to about 2·L·u.
//
// To keep L small, the input is cut into fixed blocks; inside a block four SIMD accumulators (32 independent chains
// with 512-bit vectors) each run at most ChainLength steps, and every partial result is then merged with the same
// non-cancelling rule Q = Q₁ + Q₂·(1 − Q₁) in a pairwise tree (lanes within a block, then blocks through a binary
// counter), which adds only about 2u per tree level. For 16M elements the bound is about
// 2·(128 + 5 + 12)·u ≈ 3.2e-14, well inside the 1e-12 contract; the tests check it against an exact reference.
//
// Validation rides along in the same pass: a running unsigned maximum of the bit patterns of (v + 0) is ≤ bits(1)
// exactly when every element is in [0, 1] (NaN, ±∞, negatives and values above 1 have larger patterns), and equals
// bits(1) exactly when some element is 1, in which case the answer is exactly 1.
public static partial class VelocityMath
{
    // Steps per chain in one block; bounds the sequential error growth (see above).
    internal const int ChainLength = 128;

    // Floats are widened into a stack buffer of this many doubles, one block at a time.
    private const int SingleChunkLength = 2048;

    /// <summary>Computes the cumulative velocity <c>V = 1 − ∏(1 − velocities[i])</c>, the probability that at least one node escapes.</summary>
    /// <param name="velocities">The velocities, each a finite number in [0, 1].</param>
    /// <returns>
    /// V in [0, 1], with a relative error ≤ 1e-12 against the exact value for any valid input (including millions of tiny
    /// values, values near 1 and subnormals); exactly 1 when any velocity is 1; 0 for an empty span.
    /// </returns>
    /// <remarks>
    /// The naive <c>1 − Π(1 − v)</c> loses most digits when the velocities are tiny (10⁶ values of 1e-12 come out about 2e-5
    /// wrong). This method carries <c>1 − Π</c> directly in a vectorised, blocked, pairwise recurrence that never cancels,
    /// reading the span once.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">An element is NaN, infinite or outside [0, 1]; the message names
    /// <paramref name="velocities"/> and the first bad index.</exception>
    public static double CumulativeVelocity(ReadOnlySpan<double> velocities)
        => CumulativeVelocityCore(velocities, Vector512.IsHardwareAccelerated, Vector.IsHardwareAccelerated);

    /// <summary>Computes the cumulative velocity <c>V = 1 − ∏(1 − velocities[i])</c> of single-precision velocities, accumulating in double.</summary>
    /// <param name="velocities">The velocities, each a finite number in [0, 1].</param>
    /// <returns>
    /// V in [0, 1] for the exact values of the floats, with a relative error ≤ 1e-12; exactly 1 when any velocity is 1;
    /// 0 for an empty span.
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException">An element is NaN, infinite or outside [0, 1]; the message names
    /// <paramref name="velocities"/> and the first bad index.</exception>
    public static double CumulativeVelocity(ReadOnlySpan<float> velocities)
        => CumulativeVelocityCore(velocities, Vector512.IsHardwareAccelerated, Vector.IsHardwareAccelerated);

    internal static double CumulativeVelocityCore(ReadOnlySpan<double> velocities, bool useVector512, bool useVector)
    {
        var width = Width(useVector512, useVector);
        var blockLength = BlockLength(width);
        Span<double> partials = stackalloc double[64];
        ulong occupied = 0;
        for (var start = 0; start < velocities.Length; start += blockLength)
        {
            var block = velocities.Slice(start, System.Math.Min(blockLength, velocities.Length - start));
            var q = Block(block, width, out var maxBits);
            if (maxBits >= OneBitsDouble)
            {
                return Finish(velocities, maxBits);
            }

            Push(partials, ref occupied, q);
        }

        return Collapse(partials, occupied);
    }

    internal static double CumulativeVelocityCore(ReadOnlySpan<float> velocities, bool useVector512, bool useVector)
    {
        var width = Width(useVector512, useVector);
        Span<double> buffer = stackalloc double[SingleChunkLength];
        Span<double> partials = stackalloc double[64];
        ulong occupied = 0;
        for (var start = 0; start < velocities.Length; start += SingleChunkLength)
        {
            var chunk = velocities.Slice(start, System.Math.Min(SingleChunkLength, velocities.Length - start));
            var widened = buffer[..chunk.Length];
            Widen(chunk, widened, width);
            var q = Block(widened, width, out var maxBits);
            if (maxBits >= OneBitsDouble)
            {
                return Finish(velocities, maxBits);
            }

            Push(partials, ref occupied, q);
        }

        return Collapse(partials, occupied);
    }

    // The non-cancelling merge of two partial results: 1 − (1 − Q₁)(1 − Q₂) = Q₁ + Q₂·(1 − Q₁).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double Combine(double q1, double q2) => System.Math.FusedMultiplyAdd(q2, 1.0 - q1, q1);

    private static int Width(bool useVector512, bool useVector)
        => useVector512 && Vector512.IsHardwareAccelerated ? Vector512<double>.Count
            : useVector && Vector.IsHardwareAccelerated ? Vector<double>.Count
            : 1;

    // Four accumulators of `width` lanes, each running ChainLength steps; the scalar path runs one chain.
    private static int BlockLength(int width) => width == 1 ? ChainLength : 4 * width * ChainLength;

    // Reached only when some element is 1 or invalid: the first bad index is reported even if a 1 comes before it;
    // otherwise the exact answer is 1.
    private static double Finish<T>(ReadOnlySpan<T> velocities, ulong maxBits)
        where T : IFloatingPoint<T>
    {
        for (var i = 0; i < velocities.Length; i++)
        {
            var v = double.CreateTruncating(velocities[i]);
            if (!IsUnit(v))
            {
                ThrowBadElement(nameof(velocities), i, v);
            }
        }

        return maxBits == OneBitsDouble ? 1.0 : throw new System.Diagnostics.UnreachableException("A bad velocity was detected but not found on rescan.");
    }

    // Binary counter of partial results: partials[k] holds the merge of 2^k consecutive blocks, so merges form a
    // balanced tree and the error grows with log(blocks), not with blocks.
    private static void Push(Span<double> partials, ref ulong occupied, double q)
    {
        var k = 0;
        while ((occupied & (1ul << k)) != 0)
        {
            q = Combine(partials[k], q);
            occupied &= ~(1ul << k);
            k++;
        }

        partials[k] = q;
        occupied |= 1ul << k;
    }

    private static double Collapse(ReadOnlySpan<double> partials, ulong occupied)
    {
        var q = 0.0;
        for (var k = 0; occupied != 0; k++, occupied >>= 1)
        {
            if ((occupied & 1) != 0)
            {
                q = Combine(partials[k], q);
            }
        }

        return q;
    }

    // Merges lanes pairwise in place (count is a power of two) and returns the merged value.
    private static double ReducePairwise(Span<double> lanes)
    {
        for (var count = lanes.Length; count > 1; count /= 2)
        {
            var half = count / 2;
            for (var j = 0; j < half; j++)
            {
                lanes[j] = Combine(lanes[j], lanes[j + half]);
            }
        }

        return lanes[0];
    }

    private static double Block(ReadOnlySpan<double> block, int width, out ulong maxBits)
    {
        ref var v = ref MemoryMarshal.GetReference(block);
        var n = (nuint)block.Length;
        nuint i = 0;
        double q;
        if (width == Vector512<double>.Count && Vector512.IsHardwareAccelerated)
        {
            q = Block512(ref v, ref i, n, out maxBits);
        }
        else if (width > 1)
        {
            q = BlockVector(ref v, ref i, n, out maxBits);
        }
        else
        {
            q = 0.0;
            maxBits = 0;
        }

        // Scalar tail (fewer than one vector), or the whole block on hardware without SIMD.
        var tail = 0.0;
        for (; i < n; i++)
        {
            var x = Unsafe.Add(ref v, i) + 0.0;
            maxBits = System.Math.Max(maxBits, BitConverter.DoubleToUInt64Bits(x));
            tail = System.Math.FusedMultiplyAdd(x, 1.0 - tail, tail);
        }

        return Combine(q, tail);
    }

    private static double Block512(ref double v, ref nuint i, nuint n, out ulong maxBits)
    {
        var one = Vector512<double>.One;
        var zero = Vector512<double>.Zero;
        Vector512<double> q0 = zero, q1 = zero, q2 = zero, q3 = zero;
        var bits = Vector512<ulong>.Zero;
        var w = (nuint)Vector512<double>.Count;
        while (n - i >= 4 * w)
        {
            var v0 = Vector512.LoadUnsafe(ref v, i) + zero;
            var v1 = Vector512.LoadUnsafe(ref v, i + w) + zero;
            var v2 = Vector512.LoadUnsafe(ref v, i + (2 * w)) + zero;
            var v3 = Vector512.LoadUnsafe(ref v, i + (3 * w)) + zero;
            bits = Vector512.Max(bits, Vector512.Max(Vector512.Max(v0.AsUInt64(), v1.AsUInt64()), Vector512.Max(v2.AsUInt64(), v3.AsUInt64())));
            q0 = Vector512.FusedMultiplyAdd(v0, one - q0, q0);
            q1 = Vector512.FusedMultiplyAdd(v1, one - q1, q1);
            q2 = Vector512.FusedMultiplyAdd(v2, one - q2, q2);
            q3 = Vector512.FusedMultiplyAdd(v3, one - q3, q3);
            i += 4 * w;
        }

        while (n - i >= w)
        {
            var v0 = Vector512.LoadUnsafe(ref v, i) + zero;
            bits = Vector512.Max(bits, v0.AsUInt64());
            q0 = Vector512.FusedMultiplyAdd(v0, one - q0, q0);
            i += w;
        }

        // Lane-wise pairwise merge of the four accumulators, then across the eight lanes.
        var q01 = Vector512.FusedMultiplyAdd(q1, one - q0, q0);
        var q23 = Vector512.FusedMultiplyAdd(q3, one - q2, q2);
        var q = Vector512.FusedMultiplyAdd(q23, one - q01, q01);
        Span<double> lanes = stackalloc double[Vector512<double>.Count];
        q.CopyTo(lanes);
        Span<ulong> bitLanes = stackalloc ulong[Vector512<ulong>.Count];
        bits.CopyTo(bitLanes);
        maxBits = 0;
        foreach (var b in bitLanes)
        {
            maxBits = System.Math.Max(maxBits, b);
        }

        return ReducePairwise(lanes);
    }

    private static double BlockVector(ref double v, ref nuint i, nuint n, out ulong maxBits)
    {
        var one = Vector<double>.One;
        var zero = Vector<double>.Zero;
        Vector<double> q0 = zero, q1 = zero, q2 = zero, q3 = zero;
        var bits = Vector<ulong>.Zero;
        var w = (nuint)Vector<double>.Count;
        while (n - i >= 4 * w)
        {
            var v0 = Vector.LoadUnsafe(ref v, i) + zero;
            var v1 = Vector.LoadUnsafe(ref v, i + w) + zero;
            var v2 = Vector.LoadUnsafe(ref v, i + (2 * w)) + zero;
            var v3 = Vector.LoadUnsafe(ref v, i + (3 * w)) + zero;
            bits = Vector.Max(bits, Vector.Max(Vector.Max(Vector.AsVectorUInt64(v0), Vector.AsVectorUInt64(v1)), Vector.Max(Vector.AsVectorUInt64(v2), Vector.AsVectorUInt64(v3))));
            q0 = Vector.FusedMultiplyAdd(v0, one - q0, q0);
            q1 = Vector.FusedMultiplyAdd(v1, one - q1, q1);
            q2 = Vector.FusedMultiplyAdd(v2, one - q2, q2);
            q3 = Vector.FusedMultiplyAdd(v3, one - q3, q3);
            i += 4 * w;
        }

        while (n - i >= w)
        {
            var v0 = Vector.LoadUnsafe(ref v, i) + zero;
            bits = Vector.Max(bits, Vector.AsVectorUInt64(v0));
            q0 = Vector.FusedMultiplyAdd(v0, one - q0, q0);
            i += w;
        }

        var q01 = Vector.FusedMultiplyAdd(q1, one - q0, q0);
        var q23 = Vector.FusedMultiplyAdd(q3, one - q2, q2);
        var q = Vector.FusedMultiplyAdd(q23, one - q01, q01);
        Span<double> lanes = stackalloc double[Vector<double>.Count];
        q.CopyTo(lanes);
        maxBits = 0;
        for (var k = 0; k < Vector<ulong>.Count; k++)
        {
            maxBits = System.Math.Max(maxBits, bits[k]);
        }

        return ReducePairwise(lanes);
    }

    // float → double is exact, so widening first and running the double kernel on an L1-resident buffer keeps one pass
    // over the caller's memory.
    private static void Widen(ReadOnlySpan<float> source, Span<double> destination, int width)
    {
        ref var src = ref MemoryMarshal.GetReference(source);
        ref var dst = ref MemoryMarshal.GetReference(destination);
        var n = (nuint)source.Length;
        nuint i = 0;
        if (width == Vector512<double>.Count && Vector512.IsHardwareAccelerated)
        {
            var w = (nuint)Vector512<float>.Count;
            for (; n - i >= w; i += w)
            {
                var (lower, upper) = Vector512.Widen(Vector512.LoadUnsafe(ref src, i));
                lower.StoreUnsafe(ref dst, i);
                upper.StoreUnsafe(ref dst, i + (w / 2));
            }
        }
        else if (width > 1)
        {
            var w = (nuint)Vector<float>.Count;
            for (; n - i >= w; i += w)
            {
                Vector.Widen(Vector.LoadUnsafe(ref src, i), out var lower, out var upper);
                lower.StoreUnsafe(ref dst, i);
                upper.StoreUnsafe(ref dst, i + (w / 2));
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref dst, i) = Unsafe.Add(ref src, i);
        }
    }
}
