using Cosmos.Core;

namespace Cosmos.Isolation.Internal;

/// <summary>The options the engine runs on: the options object as loaded, with every layer's settings resolved.</summary>
/// <remarks>Holds the options rather than copying their fields, so a new option cannot drift from its default here.
/// Replaced as a whole on reload.</remarks>
internal sealed class Settings
{
    private Settings(CosmosIsolationOptions options, Dictionary<CosmicLayer, LayerIsolationOptions> layers)
    {
        Options = options;
        Layers = layers;
    }

    public CosmosIsolationOptions Options { get; }

    public IReadOnlyDictionary<CosmicLayer, LayerIsolationOptions> Layers { get; }

    public static Settings From(CosmosIsolationOptions options)
    {
        var layers = new Dictionary<CosmicLayer, LayerIsolationOptions>();
        foreach (var layer in Enum.GetValues<CosmicLayer>())
        {
            layers[layer] = options.Layers.TryGetValue(layer, out var configured) && configured is not null
                ? configured.Clone()
                : LayerIsolationOptions.CreateDefault(layer);
        }

        return new Settings(options, layers);
    }

    /// <summary>The engine's smallest time scale: the tightest slow-call threshold or break duration of any layer. It sets
    /// the resolution of the engine's <see cref="CallClock"/>.</summary>
    public TimeSpan SmallestTimeScale
    {
        get
        {
            var smallest = TimeSpan.MaxValue;
            foreach (var layer in Layers.Values)
            {
                var threshold = layer.SlowCallThreshold;
                if (threshold != Timeout.InfiniteTimeSpan && threshold < smallest)
                {
                    smallest = threshold;
                }

                if (layer.BreakDuration < smallest)
                {
                    smallest = layer.BreakDuration;
                }
            }

            return smallest;
        }
    }

    public SlidingWindow CreateWindow(TimeProvider time) => new(Options.WindowDuration, Options.WindowBuckets, time.TimestampFrequency);

    public bool SameWindowShape(Settings other)
        => Options.WindowDuration == other.Options.WindowDuration && Options.WindowBuckets == other.Options.WindowBuckets;
}
