using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Cosmos.TestUtils;

/// <summary>One measurement seen by a <see cref="MetricCollector"/>.</summary>
/// <param name="Instrument">The instrument name.</param>
/// <param name="Value">The measured value as a double.</param>
/// <param name="Tags">The measurement's tags.</param>
public sealed record CollectedMeasurement(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags);

/// <summary>Listens to every instrument of one meter (by name, optionally only meters of a given scope object) and records measurements.</summary>
public sealed class MetricCollector : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<CollectedMeasurement> _measurements = new();
    private readonly ConcurrentDictionary<string, Instrument> _instruments = new();

    /// <summary>Starts listening to meters named <paramref name="meterName"/>; when <paramref name="scope"/> is set, only meters created with that scope.</summary>
    public MetricCollector(string meterName, object? scope = null)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == meterName && (scope is null || ReferenceEquals(instrument.Meter.Scope, scope)))
            {
                _instruments[instrument.Name] = instrument;
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        _listener.SetMeasurementEventCallback<int>((i, v, t, _) => Record(i, v, t));
        _listener.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        _listener.SetMeasurementEventCallback<float>((i, v, t, _) => Record(i, v, t));
        _listener.Start();
    }

    /// <summary>Every instrument of the meter published so far, by name (to assert names, units and descriptions).</summary>
    public IReadOnlyDictionary<string, Instrument> Instruments => _instruments;

    /// <summary>All measurements so far, in arrival order.</summary>
    public IReadOnlyList<CollectedMeasurement> Measurements => [.. _measurements];

    /// <summary>Measurements of one instrument.</summary>
    public IReadOnlyList<CollectedMeasurement> For(string instrument) => [.. _measurements.Where(m => m.Instrument == instrument)];

    /// <summary>Sum of the measurements of one instrument (counters).</summary>
    public double Sum(string instrument) => _measurements.Where(m => m.Instrument == instrument).Sum(m => m.Value);

    /// <summary>Polls observable instruments so their current values are recorded.</summary>
    public void RecordObservableInstruments() => _listener.RecordObservableInstruments();

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var dict = new Dictionary<string, object?>(tags.Length);
        foreach (var tag in tags)
        {
            dict[tag.Key] = tag.Value;
        }

        _measurements.Enqueue(new CollectedMeasurement(instrument.Name, value, dict));
    }
}
