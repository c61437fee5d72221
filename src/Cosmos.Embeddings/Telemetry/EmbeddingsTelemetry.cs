using System.Diagnostics.Metrics;

namespace Cosmos.Embeddings.Telemetry;

/// <summary>The package's one <see cref="Meter"/>, named <c>Cosmos.Embeddings</c>, and its instruments.</summary>
internal sealed class EmbeddingsTelemetry : IDisposable
{
    public const string MeterName = "Cosmos.Embeddings";
    public const string ProviderLatencyName = "embedding_provider_latency";
    public const string BatchSizeName = "embedding_batch_size";
    public const string ErrorsName = "embedding_errors_total";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;

    public EmbeddingsTelemetry(IMeterFactory? meterFactory = null)
    {
        if (meterFactory is null)
        {
            _meter = new Meter(MeterName);
            _ownsMeter = true;
        }
        else
        {
            // The factory owns and disposes meters it creates.
            _meter = meterFactory.Create(MeterName);
        }

        ProviderLatency = _meter.CreateHistogram<double>(ProviderLatencyName, "ms", "Time one embedding provider took to answer one request, tagged by provider and outcome.");
        BatchSize = _meter.CreateHistogram<int>(BatchSizeName, "{input}", "Number of inputs in each batch sent down the fallback chain.");
        Errors = _meter.CreateCounter<long>(ErrorsName, "{error}", "Failed or skipped embedding provider calls, tagged by provider and reason.");
    }

    /// <summary>Shared instance for generators built without DI.</summary>
    public static EmbeddingsTelemetry Shared { get; } = new();

    public Histogram<double> ProviderLatency { get; }

    public Histogram<int> BatchSize { get; }

    public Counter<long> Errors { get; }

    public void RecordLatency(string provider, double milliseconds, bool success)
    {
        if (ProviderLatency.Enabled)
        {
            ProviderLatency.Record(milliseconds, new KeyValuePair<string, object?>("provider", provider), new KeyValuePair<string, object?>("outcome", success ? "success" : "failure"));
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
