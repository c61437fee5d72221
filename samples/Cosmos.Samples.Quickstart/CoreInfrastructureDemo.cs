using System.Globalization;
using Cosmos.Core;
using Cosmos.Core.Layers;
using Cosmos.Core.Caching;
using Cosmos.Core.Execution;
using Cosmos.Core.Graph;
using Cosmos.Core.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cosmos.Samples.Quickstart;

/// <summary>The Cosmos.Core graph, pool, cache and executor section of the quickstart.</summary>
internal static class CoreInfrastructureDemo
{
    public static async Task RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        var services = new ServiceCollection();
        services.AddCosmosCore(o => o.Executor.MaxDegreeOfParallelism = 2);
        services.AddSingleton<INodeIsolationGate>(new OneIsolatedNode("billing"));
        await using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<CosmosCoreOptions>>().Value;

        // Graph: the database feeds two services; the web front end depends on both.
        var builder = new DependencyGraphBuilder();
        foreach (var id in new[] { "database", "orders", "billing", "web" })
        {
            builder.AddNode(id);
        }

        builder.AddDependency("orders", "database");
        builder.AddDependency("billing", "database");
        builder.AddDependency("web", "orders");
        builder.AddDependency("web", "billing");
        var graph = builder.Build();

        var impacts = new double[graph.NodeCount];
        new ImpactPropagator(graph, options.Propagation).Propagate(graph.GetIndex("database"), 0.8, impacts);
        output.WriteLine($"Impact 0.8 on 'database' (decay {options.Propagation.HopDecay} per hop, split across fan-out):");
        for (var i = 0; i < graph.NodeCount; i++)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {graph.GetId(i),-8} {impacts[i]:0.000}"));
        }

        output.WriteLine($"Subtree of 'database': {string.Join(", ", graph.GetTransitiveDependentIds("database"))}");

        // Memory pool: rent three chunks, give two back.
        var pool = provider.GetRequiredService<ChunkPool>();
        var chunks = new[] { pool.Rent(), pool.Rent(), pool.Rent() };
        "hello"u8.CopyTo(chunks[0].Span);
        pool.Return(chunks[1]);
        pool.Return(chunks[2]);
        var stats = pool.GetStatistics();
        output.WriteLine($"Pool: {stats.ChunkCount} x {stats.ChunkSize} B, rented {stats.Rented}, available {stats.Available}, peak {stats.PeakRented}, misses {stats.Misses}");
        pool.Return(chunks[0]);

        // Tiered cache: a subtree result in L2.
        var cache = provider.GetRequiredService<TieredCache>();
        cache.Set(CacheTier.Subtree, "database/subtree", impacts, size: impacts.Length * sizeof(double));
        var hit = cache.TryGetValue<double[]>(CacheTier.Subtree, "database/subtree", out _);
        output.WriteLine($"Cache L2 (TTL {options.Cache.Subtree.TimeToLive}): hit = {hit}, entries = {cache.GetStatistics(CacheTier.Subtree).Entries}");

        // Parallel executor: 'billing' is isolated, so it is bypassed.
        var executor = provider.GetRequiredService<ParallelNodeExecutor>();
        var report = await executor.ExecuteAsync(
            [.. Enumerable.Range(0, graph.NodeCount).Select(graph.GetId)],
            (id, ct) => id == "web" ? throw new InvalidOperationException("web is down") : ValueTask.CompletedTask,
            cancellationToken);
        foreach (var result in report.Results)
        {
            output.WriteLine($"  {result.NodeId,-8} {result.Status}{(result.Exception is null ? string.Empty : ": " + result.Exception.Message)}");
        }
    }

    private sealed class OneIsolatedNode(string isolated) : INodeIsolationGate
    {
        public bool IsIsolated(string nodeId) => nodeId == isolated;
    }
}
