using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Cosmos.Embeddings.Telemetry;

/// <summary>Owns the package's one <see cref="Meter"/> (from an injected <see cref="IMeterFactory"/> when there is one), its instruments
/// and its <see cref="ActivitySource"/>; the names are in <see cref="EmbeddingsTelemetry"/>.</summary>
internal sealed class EmbeddingsMetrics : IDisposable
{
    public static readonly ActivitySource ActivitySource = new(EmbeddingsTelemetry.ActivitySourceName);

    private readonly Meter _meter;
    private readonly bool _ownsMeter;

    public EmbeddingsMetrics(IMeterFactory? meterFactory = null)
    {
        if (meterFactory is null)
        {
            _meter = new Meter(EmbeddingsTelemetry.MeterName);
            _ownsMeter = true;
        }
        else
        {
            // The factory owns and disposes meters it creates.
            _meter = meterFactory.Create(EmbeddingsTelemetry.MeterName);
        }

        ProviderLatency = _meter.CreateHistogram<double>(EmbeddingsTelemetry.ProviderDurationName, "s", "Time one embedding provider took to answer one request, tagged by provider and outcome.");
        BatchSize = _meter.CreateHistogram<int>(EmbeddingsTelemetry.BatchSizeName, "{input}", "Number of inputs in each batch sent down the fallback chain.");
        Errors = _meter.CreateCounter<long>(EmbeddingsTelemetry.ErrorsName, "{error}", "Failed or skipped embedding provider calls, tagged by provider and reason.");
    }

    /// <summary>Shared instance for generators built without DI.</summary>
    public static EmbeddingsMetrics Shared { get; } = new();

    public Histogram<double> ProviderLatency { get; }

    public Histogram<int> BatchSize { get; }

    public Counter<long> Errors { get; }

    public void RecordLatency(string provider, double seconds, bool success)
    {
        if (ProviderLatency.Enabled)
        {
            ProviderLatency.Record(seconds, new KeyValuePair<string, object?>("provider", provider), new KeyValuePair<string, object?>("outcome", success ? "success" : "failure"));
        }
    }

    public void RecordError(string provider, string reason)
    {
        if (Errors.Enabled)
        {
            Errors.Add(1, new KeyValuePair<string, object?>("provider", provider), new KeyValuePair<string, object?>("reason", reason));
        }
    }

    public void RecordBatchSize(int size)
    {
        if (BatchSize.Enabled)
        {
            BatchSize.Record(size);
        }
    }

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
