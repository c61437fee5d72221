using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Cosmos.Core.Math;

// Batch impact over structure-of-arrays spans: one fused pass that loads the three inputs once, checks them, computes
// the impact and stores it. Validation is folded into the pass as a running unsigned maximum of the inputs' bit
// patterns (after adding +0 so that −0 becomes +0): every value in [0, 1] has bits ≤ bits(1), while negatives (sign
// bit), NaN, ±∞ and values above 1 all have larger bits. One compare per group of four vectors decides whether the
// group may be stored; a bad group is not stored and the scalar tail resumes at its start, finds the first bad index
// and throws. Because a group is only stored after all its inputs were read and checked, a destination that is the
// same memory as an input stays correct, and the bad value is still there to be reported.
public static partial class VelocityMath
{
    private const uint OneBitsSingle = 0x3F80_0000u;
    private const ulong OneBitsDouble = 0x3FF0_0000_0000_0000ul;

    // Same rule as TensorPrimitives: above this destination size, results are streamed past the cache (non-temporal
    // stores), which skips the read-for-ownership of every destination line; below it they stay cached for the caller.
    private const int NonTemporalByteThreshold = 256 * 1024;

    /// <summary>Computes <c>destination[i] = 0.4·changeRate[i] + 0.3·scaleFactor[i] + 0.3·dependencyWeight[i]</c> in one SIMD pass.</summary>
    /// <param name="changeRate">The change rates, each in [0, 1].</param>
    /// <param name="scaleFactor">The scale factors, each in [0, 1]; same length as <paramref name="changeRate"/>.</param>
    /// <param name="dependencyWeight">The dependency weights, each in [0, 1]; same length as <paramref name="changeRate"/>.</param>
    /// <param name="destination">Receives the impacts; at least as long as the inputs. It may be exactly the same memory as an
    /// input (in-place), but must not otherwise overlap one.</param>
    /// <exception cref="ArgumentException">The input lengths differ, <paramref name="destination"/> is too short, or it
    /// partially overlaps an input.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An element is NaN, infinite or outside [0, 1]; the message names the span
    /// and the first bad index. <paramref name="destination"/> may then hold results for elements before that index.</exception>
    public static void Impact(ReadOnlySpan<float> changeRate, ReadOnlySpan<float> scaleFactor, ReadOnlySpan<float> dependencyWeight, Span<float> destination)
        => Impact(changeRate, scaleFactor, dependencyWeight, destination, ImpactWeights.Default);

    /// <summary>Computes <c>destination[i] = α·changeRate[i] + β·scaleFactor[i] + γ·dependencyWeight[i]</c> in one SIMD pass.</summary>
    /// <param name="changeRate">The change rates, each in [0, 1].</param>
    /// <param name="scaleFactor">The scale factors, each in [0, 1]; same length as <paramref name="changeRate"/>.</param>
    /// <param name="dependencyWeight">The dependency weights, each in [0, 1]; same length as <paramref name="changeRate"/>.</param>
    /// <param name="destination">Receives the impacts; at least as long as the inputs. It may be exactly the same memory as an
    /// input (in-place), but must not otherwise overlap one.</param>
    /// <param name="weights">The weights α, β, γ, rounded to single precision for the computation.</param>
    /// <exception cref="ArgumentException">The input lengths differ, <paramref name="destination"/> is too short, it
    /// partially overlaps an input, or <paramref name="weights"/> is <c>default</c>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An element is NaN, infinite or outside [0, 1]; the message names the span
    /// and the first bad index. <paramref name="destination"/> may then hold results for elements before that index.</exception>
    public static void Impact(ReadOnlySpan<float> changeRate, ReadOnlySpan<float> scaleFactor, ReadOnlySpan<float> dependencyWeight, Span<float> destination, ImpactWeights weights)
    {
        ImpactWeights.ThrowIfDefault(weights, nameof(weights));
        ThrowIfBadShape(changeRate, scaleFactor, dependencyWeight, destination);
        ImpactCore(changeRate, scaleFactor, dependencyWeight, destination, weights, Vector512.IsHardwareAccelerated, Vector.IsHardwareAccelerated);
    }

    /// <summary>Computes <c>destination[i] = 0.4·changeRate[i] + 0.3·scaleFactor[i] + 0.3·dependencyWeight[i]</c> in one SIMD pass.</summary>
    /// <param name="changeRate">The change rates, each in [0, 1].</param>
    /// <param name="scaleFactor">The scale factors, each in [0, 1]; same length as <paramref name="changeRate"/>.</param>
    /// <param name="dependencyWeight">The dependency weights, each in [0, 1]; same length as <paramref name="changeRate"/>.</param>
    /// <param name="destination">Receives the impacts; at least as long as the inputs. It may be exactly the same memory as an
    /// input (in-place), but must not otherwise overlap one.</param>
    /// <exception cref="ArgumentException">The input lengths differ, <paramref name="destination"/> is too short, or it
    /// partially overlaps an input.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An element is NaN, infinite or outside [0, 1]; the message names the span
    /// and the first bad index. <paramref name="destination"/> may then hold results for elements before that index.</exception>
    public static void Impact(ReadOnlySpan<double> changeRate, ReadOnlySpan<double> scaleFactor, ReadOnlySpan<double> dependencyWeight, Span<double> destination)
        => Impact(changeRate, scaleFactor, dependencyWeight, destination, ImpactWeights.Default);

    /// <summary>Computes <c>destination[i] = α·changeRate[i] + β·scaleFactor[i] + γ·dependencyWeight[i]</c> in one SIMD pass.</summary>
    /// <param name="changeRate">The change rates, each in [0, 1].</param>
    /// <param name="scaleFactor">The scale factors, each in [0, 1]; same length as <paramref name="changeRate"/>.</param>
    /// <param name="dependencyWeight">The dependency weights, each in [0, 1]; same length as <paramref name="changeRate"/>.</param>
    /// <param name="destination">Receives the impacts; at least as long as the inputs. It may be exactly the same memory as an
    /// input (in-place), but must not otherwise overlap one.</param>
    /// <param name="weights">The weights α, β, γ.</param>
    /// <exception cref="ArgumentException">The input lengths differ, <paramref name="destination"/> is too short, it
    /// partially overlaps an input, or <paramref name="weights"/> is <c>default</c>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An element is NaN, infinite or outside [0, 1]; the message names the span
    /// and the first bad index. <paramref name="destination"/> may then hold results for elements before that index.</exception>
    public static void Impact(ReadOnlySpan<double> changeRate, ReadOnlySpan<double> scaleFactor, ReadOnlySpan<double> dependencyWeight, Span<double> destination, ImpactWeights weights)
    {
        ImpactWeights.ThrowIfDefault(weights, nameof(weights));
        ThrowIfBadShape(changeRate, scaleFactor, dependencyWeight, destination);
        ImpactCore(changeRate, scaleFactor, dependencyWeight, destination, weights, Vector512.IsHardwareAccelerated, Vector.IsHardwareAccelerated);
    }

    // The kernel selection is a parameter so that tests can prove each SIMD width equal to the scalar definition.
    internal static void ImpactCore(ReadOnlySpan<float> changeRate, ReadOnlySpan<float> scaleFactor, ReadOnlySpan<float> dependencyWeight, Span<float> destination, ImpactWeights weights, bool useVector512, bool useVector)
    {
        float wc = (float)weights.ChangeRate, ws = (float)weights.ScaleFactor, wd = (float)weights.DependencyWeight;
        ref var c = ref MemoryMarshal.GetReference(changeRate);
        ref var s = ref MemoryMarshal.GetReference(scaleFactor);
        ref var d = ref MemoryMarshal.GetReference(dependencyWeight);
        ref var dst = ref MemoryMarshal.GetReference(destination);
        var n = (nuint)changeRate.Length;
        nuint i = 0;
        if (useVector512 && Vector512.IsHardwareAccelerated)
        {
            i = Impact512(ref c, ref s, ref d, ref dst, i, n, wc, ws, wd);
        }

        if (useVector && Vector.IsHardwareAccelerated)
        {
            i = ImpactVector(ref c, ref s, ref d, ref dst, i, n, wc, ws, wd);
        }

        for (; i < n; i++)
        {
            float ci = Unsafe.Add(ref c, i), si = Unsafe.Add(ref s, i), di = Unsafe.Add(ref d, i);
            if (!(IsUnit(ci) && IsUnit(si) && IsUnit(di)))
            {
                ThrowFirstBad(changeRate, scaleFactor, dependencyWeight, (int)i);
            }

            Unsafe.Add(ref dst, i) = ImpactScalar(ci, si, di, wc, ws, wd);
        }
    }

    internal static void ImpactCore(ReadOnlySpan<double> changeRate, ReadOnlySpan<double> scaleFactor, ReadOnlySpan<double> dependencyWeight, Span<double> destination, ImpactWeights weights, bool useVector512, bool useVector)
    {
        double wc = weights.ChangeRate, ws = weights.ScaleFactor, wd = weights.DependencyWeight;
        ref var c = ref MemoryMarshal.GetReference(changeRate);
        ref var s = ref MemoryMarshal.GetReference(scaleFactor);
        ref var d = ref MemoryMarshal.GetReference(dependencyWeight);
        ref var dst = ref MemoryMarshal.GetReference(destination);
        var n = (nuint)changeRate.Length;
        nuint i = 0;
        if (useVector512 && Vector512.IsHardwareAccelerated)
        {
            i = Impact512(ref c, ref s, ref d, ref dst, i, n, wc, ws, wd);
        }

        if (useVector && Vector.IsHardwareAccelerated)
        {
            i = ImpactVector(ref c, ref s, ref d, ref dst, i, n, wc, ws, wd);
        }

        for (; i < n; i++)
        {
            double ci = Unsafe.Add(ref c, i), si = Unsafe.Add(ref s, i), di = Unsafe.Add(ref d, i);
            if (!(IsUnit(ci) && IsUnit(si) && IsUnit(di)))
            {
                ThrowFirstBad(changeRate, scaleFactor, dependencyWeight, (int)i);
            }

            Unsafe.Add(ref dst, i) = ImpactScalar(ci, si, di, wc, ws, wd);
        }
    }

    // Processes whole groups of four vectors, then single vectors, while the inputs are valid. Returns the index of the
    // first element not processed: the end of the last whole vector, or the start of the first group holding a bad value.
    private static unsafe nuint Impact512(ref float c, ref float s, ref float d, ref float dst, nuint i, nuint n, float wc, float ws, float wd)
    {
        var vc = Vector512.Create(wc);
        var vs = Vector512.Create(ws);
        var vd = Vector512.Create(wd);
        var limit = Vector512.Create(OneBitsSingle);
        var w = (nuint)Vector512<float>.Count;
        fixed (float* p = &dst)
        {
            var nonTemporal = false;
            if ((n - i) * sizeof(float) >= NonTemporalByteThreshold)
            {
                // Aligned streaming stores need a 64-byte aligned destination: reach it with (validated) scalars. The
                // array stays pinned here, so the alignment cannot change under a compacting GC.
                for (var end = i + (((64 - ((nuint)(p + i) % 64)) % 64) / sizeof(float)); i < end; i++)
                {
                    float ci = Unsafe.Add(ref c, i), si = Unsafe.Add(ref s, i), di = Unsafe.Add(ref d, i);
                    if (!(IsUnit(ci) && IsUnit(si) && IsUnit(di)))
                    {
                        return i;
                    }

                    p[i] = ImpactScalar(ci, si, di, wc, ws, wd);
                }

                nonTemporal = true;
            }

            while (n - i >= 4 * w)
            {
                var c0 = Vector512.LoadUnsafe(ref c, i);
                var c1 = Vector512.LoadUnsafe(ref c, i + w);
                var c2 = Vector512.LoadUnsafe(ref c, i + (2 * w));
                var c3 = Vector512.LoadUnsafe(ref c, i + (3 * w));
                var s0 = Vector512.LoadUnsafe(ref s, i);
                var s1 = Vector512.LoadUnsafe(ref s, i + w);
                var s2 = Vector512.LoadUnsafe(ref s, i + (2 * w));
                var s3 = Vector512.LoadUnsafe(ref s, i + (3 * w));
                var d0 = Vector512.LoadUnsafe(ref d, i);
                var d1 = Vector512.LoadUnsafe(ref d, i + w);
                var d2 = Vector512.LoadUnsafe(ref d, i + (2 * w));
                var d3 = Vector512.LoadUnsafe(ref d, i + (3 * w));
                var bits = Vector512.Max(
                    Vector512.Max(Vector512.Max(Bits(c0), Bits(c1)), Vector512.Max(Bits(c2), Bits(c3))),
                    Vector512.Max(
                        Vector512.Max(Vector512.Max(Bits(s0), Bits(s1)), Vector512.Max(Bits(s2), Bits(s3))),
                        Vector512.Max(Vector512.Max(Bits(d0), Bits(d1)), Vector512.Max(Bits(d2), Bits(d3)))));
                if (Vector512.GreaterThanAny(bits, limit))
                {
                    break;
                }

                Store(Kernel(c0, s0, d0, vc, vs, vd), p + i, nonTemporal);
                Store(Kernel(c1, s1, d1, vc, vs, vd), p + i + w, nonTemporal);
                Store(Kernel(c2, s2, d2, vc, vs, vd), p + i + (2 * w), nonTemporal);
                Store(Kernel(c3, s3, d3, vc, vs, vd), p + i + (3 * w), nonTemporal);
                i += 4 * w;
            }

            if (nonTemporal && Sse.IsSupported)
            {
                // Streaming stores are weakly ordered: make them visible before the caller (or another thread) reads.
                Sse.StoreFence();
            }

            while (n - i >= w)
            {
                var c0 = Vector512.LoadUnsafe(ref c, i);
                var s0 = Vector512.LoadUnsafe(ref s, i);
                var d0 = Vector512.LoadUnsafe(ref d, i);
                if (Vector512.GreaterThanAny(Vector512.Max(Bits(c0), Vector512.Max(Bits(s0), Bits(d0))), limit))
                {
                    break;
                }

                Kernel(c0, s0, d0, vc, vs, vd).Store(p + i);
                i += w;
            }
        }

        return i;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static Vector512<uint> Bits(Vector512<float> x) => (x + Vector512<float>.Zero).AsUInt32();

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static Vector512<float> Kernel(Vector512<float> c, Vector512<float> s, Vector512<float> d, Vector512<float> wc, Vector512<float> ws, Vector512<float> wd)
            => Vector512.MinNative(Vector512.FusedMultiplyAdd(wd, d, Vector512.FusedMultiplyAdd(ws, s, wc * c)), Vector512<float>.One);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static void Store(Vector512<float> value, float* address, bool nonTemporal)
        {
            if (nonTemporal)
            {
                value.StoreAlignedNonTemporal(address);
            }
            else
            {
                value.Store(address);
            }
        }
    }

    private static unsafe nuint Impact512(ref double c, ref double s, ref double d, ref double dst, nuint i, nuint n, double wc, double ws, double wd)
    {
        var vc = Vector512.Create(wc);
        var vs = Vector512.Create(ws);
        var vd = Vector512.Create(wd);
        var limit = Vector512.Create(OneBitsDouble);
        var w = (nuint)Vector512<double>.Count;
        fixed (double* p = &dst)
        {
            var nonTemporal = false;
            if ((n - i) * sizeof(double) >= NonTemporalByteThreshold)
            {
                // Aligned streaming stores need a 64-byte aligned destination: reach it with (validated) scalars. The
                // array stays pinned here, so the alignment cannot change under a compacting GC.
                for (var end = i + (((64 - ((nuint)(p + i) % 64)) % 64) / sizeof(double)); i < end; i++)
                {
                    double ci = Unsafe.Add(ref c, i), si = Unsafe.Add(ref s, i), di = Unsafe.Add(ref d, i);
                    if (!(IsUnit(ci) && IsUnit(si) && IsUnit(di)))
                    {
                        return i;
                    }

                    p[i] = ImpactScalar(ci, si, di, wc, ws, wd);
                }

                nonTemporal = true;
            }

            while (n - i >= 4 * w)
            {
                var c0 = Vector512.LoadUnsafe(ref c, i);
                var c1 = Vector512.LoadUnsafe(ref c, i + w);
                var c2 = Vector512.LoadUnsafe(ref c, i + (2 * w));
                var c3 = Vector512.LoadUnsafe(ref c, i + (3 * w));
                var s0 = Vector512.LoadUnsafe(ref s, i);
                var s1 = Vector512.LoadUnsafe(ref s, i + w);
                var s2 = Vector512.LoadUnsafe(ref s, i + (2 * w));
                var s3 = Vector512.LoadUnsafe(ref s, i + (3 * w));
                var d0 = Vector512.LoadUnsafe(ref d, i);
                var d1 = Vector512.LoadUnsafe(ref d, i + w);
                var d2 = Vector512.LoadUnsafe(ref d, i + (2 * w));
                var d3 = Vector512.LoadUnsafe(ref d, i + (3 * w));
                var bits = Vector512.Max(
                    Vector512.Max(Vector512.Max(Bits(c0), Bits(c1)), Vector512.Max(Bits(c2), Bits(c3))),
                    Vector512.Max(
                        Vector512.Max(Vector512.Max(Bits(s0), Bits(s1)), Vector512.Max(Bits(s2), Bits(s3))),
                        Vector512.Max(Vector512.Max(Bits(d0), Bits(d1)), Vector512.Max(Bits(d2), Bits(d3)))));
                if (Vector512.GreaterThanAny(bits, limit))
                {
                    break;
                }

                Store(Kernel(c0, s0, d0, vc, vs, vd), p + i, nonTemporal);
                Store(Kernel(c1, s1, d1, vc, vs, vd), p + i + w, nonTemporal);
                Store(Kernel(c2, s2, d2, vc, vs, vd), p + i + (2 * w), nonTemporal);
                Store(Kernel(c3, s3, d3, vc, vs, vd), p + i + (3 * w), nonTemporal);
                i += 4 * w;
            }

            if (nonTemporal && Sse.IsSupported)
            {
                // Streaming stores are weakly ordered: make them visible before the caller (or another thread) reads.
                Sse.StoreFence();
            }

            while (n - i >= w)
            {
                var c0 = Vector512.LoadUnsafe(ref c, i);
                var s0 = Vector512.LoadUnsafe(ref s, i);
                var d0 = Vector512.LoadUnsafe(ref d, i);
                if (Vector512.GreaterThanAny(Vector512.Max(Bits(c0), Vector512.Max(Bits(s0), Bits(d0))), limit))
                {
                    break;
                }

                Kernel(c0, s0, d0, vc, vs, vd).Store(p + i);
                i += w;
            }
        }

        return i;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static Vector512<ulong> Bits(Vector512<double> x) => (x + Vector512<double>.Zero).AsUInt64();

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static Vector512<double> Kernel(Vector512<double> c, Vector512<double> s, Vector512<double> d, Vector512<double> wc, Vector512<double> ws, Vector512<double> wd)
            => Vector512.MinNative(Vector512.FusedMultiplyAdd(wd, d, Vector512.FusedMultiplyAdd(ws, s, wc * c)), Vector512<double>.One);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static void Store(Vector512<double> value, double* address, bool nonTemporal)
        {
            if (nonTemporal)
            {
                value.StoreAlignedNonTemporal(address);
            }
            else
            {
                value.Store(address);
            }
        }
    }

    // Vector<T> is 256-bit on x64 (AVX2) and 128-bit on Arm64; it also finishes the tail left by the 512-bit kernel.
    private static nuint ImpactVector(ref float c, ref float s, ref float d, ref float dst, nuint i, nuint n, float wc, float ws, float wd)
    {
        var vc = new Vector<float>(wc);
        var vs = new Vector<float>(ws);
        var vd = new Vector<float>(wd);
        var limit = new Vector<uint>(OneBitsSingle);
        var w = (nuint)Vector<float>.Count;
        while (n - i >= w)
        {
            var c0 = Vector.LoadUnsafe(ref c, i);
            var s0 = Vector.LoadUnsafe(ref s, i);
            var d0 = Vector.LoadUnsafe(ref d, i);
            var bits = Vector.Max(Vector.AsVectorUInt32(c0 + Vector<float>.Zero), Vector.Max(Vector.AsVectorUInt32(s0 + Vector<float>.Zero), Vector.AsVectorUInt32(d0 + Vector<float>.Zero)));
            if (Vector.GreaterThanAny(bits, limit))
            {
                return i;
            }

            Vector.MinNative(Vector.FusedMultiplyAdd(vd, d0, Vector.FusedMultiplyAdd(vs, s0, vc * c0)), Vector<float>.One).StoreUnsafe(ref dst, i);
            i += w;
        }

        return i;
    }

    private static nuint ImpactVector(ref double c, ref double s, ref double d, ref double dst, nuint i, nuint n, double wc, double ws, double wd)
    {
        var vc = new Vector<double>(wc);
        var vs = new Vector<double>(ws);
        var vd = new Vector<double>(wd);
        var limit = new Vector<ulong>(OneBitsDouble);
        var w = (nuint)Vector<double>.Count;
        while (n - i >= w)
        {
            var c0 = Vector.LoadUnsafe(ref c, i);
            var s0 = Vector.LoadUnsafe(ref s, i);
            var d0 = Vector.LoadUnsafe(ref d, i);
            var bits = Vector.Max(Vector.AsVectorUInt64(c0 + Vector<double>.Zero), Vector.Max(Vector.AsVectorUInt64(s0 + Vector<double>.Zero), Vector.AsVectorUInt64(d0 + Vector<double>.Zero)));
            if (Vector.GreaterThanAny(bits, limit))
            {
                return i;
            }

            Vector.MinNative(Vector.FusedMultiplyAdd(vd, d0, Vector.FusedMultiplyAdd(vs, s0, vc * c0)), Vector<double>.One).StoreUnsafe(ref dst, i);
            i += w;
        }

        return i;
    }

    private static void ThrowIfBadShape<T>(ReadOnlySpan<T> changeRate, ReadOnlySpan<T> scaleFactor, ReadOnlySpan<T> dependencyWeight, Span<T> destination)
    {
        ThrowIfLengthDiffers(changeRate.Length, scaleFactor.Length, nameof(scaleFactor));
        ThrowIfLengthDiffers(changeRate.Length, dependencyWeight.Length, nameof(dependencyWeight));
        if (destination.Length < changeRate.Length)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"The destination is too short: it has {destination.Length} elements but the inputs have {changeRate.Length}."),
                nameof(destination));
        }

        ThrowIfPartialOverlap(changeRate, destination, nameof(changeRate));
        ThrowIfPartialOverlap(scaleFactor, destination, nameof(scaleFactor));
        ThrowIfPartialOverlap(dependencyWeight, destination, nameof(dependencyWeight));
    }

    private static void ThrowIfLengthDiffers(int expected, int actual, string paramName)
    {
        if (actual != expected)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"{paramName} has {actual} elements but changeRate has {expected}; the input spans must have the same length."),
                paramName);
        }
    }

    // Same rule as TensorPrimitives: in-place (identical start) is fine, any other overlap would read results as inputs.
    private static void ThrowIfPartialOverlap<T>(ReadOnlySpan<T> input, Span<T> destination, string inputName)
    {
        if (input.Overlaps(destination, out var offset) && offset != 0)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"The destination overlaps {inputName} at an offset of {offset} elements; it may be exactly the same memory as an input, but must not partially overlap one."),
                nameof(destination));
        }
    }

    private static void ThrowFirstBad<T>(ReadOnlySpan<T> changeRate, ReadOnlySpan<T> scaleFactor, ReadOnlySpan<T> dependencyWeight, int index)
        where T : IFloatingPoint<T>
    {
        var c = double.CreateTruncating(changeRate[index]);
        var s = double.CreateTruncating(scaleFactor[index]);
        var d = double.CreateTruncating(dependencyWeight[index]);
        if (!IsUnit(c))
        {
            ThrowBadElement(nameof(changeRate), index, c);
        }

        if (!IsUnit(s))
        {
            ThrowBadElement(nameof(scaleFactor), index, s);
        }

        ThrowBadElement(nameof(dependencyWeight), index, d);
    }
}
