using Cosmos.Core;
using Cosmos.Isolation.Internal;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Polly;

namespace Cosmos.Isolation.Tests;

/// <summary>Builds an engine through DI on a <see cref="FakeTimeProvider"/>, as a host would.</summary>
internal sealed class TestHost : IDisposable
{
    private readonly ServiceProvider _provider;

    public TestHost(Action<CosmosIsolationOptions> configure, bool metrics = false)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        if (metrics)
        {
            services.AddMetrics();
        }

        services.AddCosmosIsolation(o =>
        {
            // Tests move the clock and evaluate explicitly; a test that wants the timer sets a shorter interval.
            o.EvaluationInterval = TimeSpan.FromHours(1);
            configure(o);
        });
        _provider = services.BuildServiceProvider();
        Engine = _provider.GetRequiredService<IIsolationEngine>();
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));

    public IIsolationEngine Engine { get; }

    public IServiceProvider Services => _provider;

    public static async Task FailAsync(ResiliencePipeline pipeline)
    {
        await Assert.ThrowsAsync<InvalidOperationException>(
            async () => await pipeline.ExecuteAsync(static _ => throw new InvalidOperationException("fault")));
    }

    public static ValueTask SucceedAsync(ResiliencePipeline pipeline) => pipeline.ExecuteAsync(static _ => ValueTask.CompletedTask);

    public void Dispose() => _provider.Dispose();
}

/// <summary>An options monitor whose value a test replaces to simulate a configuration reload.</summary>
internal sealed class TestOptionsMonitor(CosmosIsolationOptions value) : IOptionsMonitor<CosmosIsolationOptions>
{
    private readonly List<Action<CosmosIsolationOptions, string?>> _listeners = [];

    public CosmosIsolationOptions CurrentValue { get; private set; } = value;

    public CosmosIsolationOptions Get(string? name) => CurrentValue;

    public IDisposable OnChange(Action<CosmosIsolationOptions, string?> listener)
    {
        _listeners.Add(listener);
        return new Subscription(() => _listeners.Remove(listener));
    }

    public void Reload(CosmosIsolationOptions options)
    {
        CurrentValue = options;
        foreach (var listener in _listeners.ToArray())
        {
            listener(options, Options.DefaultName);
        }
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }

    public static IsolationEngine CreateEngine(TestOptionsMonitor monitor, TimeProvider time)
        => new(monitor, LayerModel.Default, time);
}
