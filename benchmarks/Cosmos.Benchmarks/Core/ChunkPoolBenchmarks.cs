using System.Buffers;
using BenchmarkDotNet.Attributes;
using Cosmos.Core.Memory;

namespace Cosmos.Benchmarks.Core;

/// <summary>One rent and one return of a 1024-byte buffer, single-threaded.</summary>
[MemoryDiagnoser]
public class ChunkPoolBenchmarks
{
    private ChunkPool _pool = null!;

    [GlobalSetup]
    public void Setup() => _pool = new ChunkPool(new ChunkPoolOptions { ChunkSize = 1024, ChunkCount = 1000, PressureCheckInterval = TimeSpan.Zero });

    [GlobalCleanup]
    public void Cleanup() => _pool.Dispose();

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

    [Benchmark]
    public byte[] NewArray()
    {
        var buffer = new byte[1024];
        buffer[0] = 1;
        return buffer;
    }
}
