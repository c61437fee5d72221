using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Cosmos.Embeddings.Onnx.Telemetry;

/// <summary>Owns the package's <see cref="Meter"/> (from an injected <see cref="IMeterFactory"/> when there is one) and its <see cref="ActivitySource"/>.</summary>
internal sealed class OnnxEmbeddingsMetrics : IDisposable
{
    public static readonly ActivitySource ActivitySource = new(OnnxEmbeddingsTelemetry.ActivitySourceName);

    private readonly Meter _meter;
    private readonly bool _ownsMeter;

    public OnnxEmbeddingsMetrics(IMeterFactory? meterFactory)
    {
        if (meterFactory is null)
        {
            _meter = new Meter(OnnxEmbeddingsTelemetry.MeterName);
            _ownsMeter = true;
        }
        else
        {
            // The factory owns and disposes the meters it creates.
            _meter = meterFactory.Create(OnnxEmbeddingsTelemetry.MeterName);
        }

        InferenceDuration = _meter.CreateHistogram<double>(OnnxEmbeddingsTelemetry.InferenceDurationName, "s", "Time of one model inference over one padded batch.");
        Tokens = _meter.CreateCounter<long>(OnnxEmbeddingsTelemetry.TokensName, "{token}", "Tokens fed to the model, after truncation and before padding.");
        TruncatedInputs = _meter.CreateCounter<long>(OnnxEmbeddingsTelemetry.TruncatedInputsName, "{input}", "Inputs longer than the model's sequence length, embedded from their first tokens.");
    }

    public Histogram<double> InferenceDuration { get; }

    public Counter<long> Tokens { get; }

    public Counter<long> TruncatedInputs { get; }

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
