using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Cosmos.Embeddings.Tests.Fakes;

/// <summary>A private <see cref="IMeterFactory"/> per test, so a <c>MetricCollector</c> scoped to it sees only that test's measurements.</summary>
internal static class TestMeters
{
    public static IMeterFactory CreateFactory() => new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
}
