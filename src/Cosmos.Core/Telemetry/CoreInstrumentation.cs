using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Cosmos.Core.Telemetry;

/// <summary>Owns the package's <see cref="Meter"/> (one per DI container) and its process-wide <see cref="System.Diagnostics.ActivitySource"/>.</summary>
internal sealed class CoreInstrumentation : IDisposable
{
    // Static: spans are wanted from types built without DI too, and an ActivitySource costs nothing until listened to.
    internal static readonly ActivitySource ActivitySource = new(CoreTelemetry.ActivitySourceName, typeof(CoreTelemetry).Assembly.GetName().Version?.ToString());

    private readonly bool _ownsMeter;

    public CoreInstrumentation(IMeterFactory? meterFactory = null)
    {
        // A factory-created meter is disposed by the factory; only a meter created here is ours to dispose.
        _ownsMeter = meterFactory is null;
        Meter = meterFactory?.Create(CoreTelemetry.MeterName) ?? new Meter(CoreTelemetry.MeterName);
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
