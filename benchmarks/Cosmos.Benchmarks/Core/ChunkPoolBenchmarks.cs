using System.Buffers;
using BenchmarkDotNet.Attributes;
using Cosmos.Core.Memory;

namespace Cosmos.Benchmarks.Core;

/// <summary>One rent and one return of a 1024-byte buffer, single-threaded, and the price of each guarantee.</summary>
// Min beside Mean: on a shared machine the fastest iteration is the one least disturbed by other processes.
[MemoryDiagnoser]
[MinColumn]
public class ChunkPoolBenchmarks
{
    private readonly int[] _generation = new int[1];
    private ChunkPool _pool = null!;
    private ChunkPool _sharedStackOnly = null!;

    [GlobalSetup]
    public void Setup()
    {
        _pool = new ChunkPool(new ChunkPoolOptions { ChunkSize = 1024, ChunkCount = 1000, PressureCheckInterval = TimeSpan.Zero });
        _sharedStackOnly = new ChunkPool(new ChunkPoolOptions { ChunkSize = 1024, ChunkCount = 1000, PressureCheckInterval = TimeSpan.Zero, ThreadCache = false });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _pool.Dispose();
        _sharedStackOnly.Dispose();
    }

    [Benchmark(Baseline = true)]
    public byte[] ArrayPoolShared()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(1024);
        buffer[0] = 1;
        ArrayPool<byte>.Shared.Return(buffer);
        return buffer;
    }

    [Benchmark]
    public int ChunkPoolRentReturn()
    {
        var chunk = _pool.Rent();
        chunk.Span[0] = 1;
        _pool.Return(chunk);
        return chunk.Index;
    }

    /// <summary>The strict pool: every free chunk on the shared lock-free stack (the design before the thread cache).</summary>
    [Benchmark]
    public int ChunkPoolSharedStackOnly()
    {
        var chunk = _sharedStackOnly.Rent();
        chunk.Span[0] = 1;
        _sharedStackOnly.Return(chunk);
        return chunk.Index;
    }

    /// <summary>The price of double-return detection alone: the one compare-and-swap a return runs on the chunk's generation.</summary>
    [Benchmark]
    public int DoubleReturnCheckOnly()
    {
        _generation[0] = 1;
        return Interlocked.CompareExchange(ref _generation[0], -1, 1);
    }

    [Benchmark]
    public byte[] NewArray()
    {
        var buffer = new byte[1024];
        buffer[0] = 1;
        return buffer;
    }
}
