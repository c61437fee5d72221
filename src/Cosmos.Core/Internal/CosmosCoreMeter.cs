using System.Diagnostics.Metrics;

namespace Cosmos.Core.Internal;

/// <summary>Owns the package's single <see cref="Meter"/> named <c>Cosmos.Core</c>.</summary>
internal sealed class CosmosCoreMeter : IDisposable
{
    /// <summary>The meter name, equal to the package name.</summary>
    public const string Name = "Cosmos.Core";

    private readonly bool _ownsMeter;

    public CosmosCoreMeter(IMeterFactory? meterFactory = null)
    {
        // A factory-created meter is disposed by the factory; only a meter created here is ours to dispose.
        _ownsMeter = meterFactory is null;
        Meter = meterFactory?.Create(Name) ?? new Meter(Name);
    }

    public Meter Meter { get; }

    public void Dispose()
    {
        if (_ownsMeter)
        {
            Meter.Dispose();
        }
    }
}
