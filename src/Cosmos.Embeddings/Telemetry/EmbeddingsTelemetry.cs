namespace Cosmos.Embeddings.Telemetry;

/// <summary>The names under which Cosmos.Embeddings reports metrics and traces.</summary>
/// <remarks>
/// Subscribe with <c>AddMeter(EmbeddingsTelemetry.MeterName)</c> and <c>AddSource(EmbeddingsTelemetry.ActivitySourceName)</c>.
/// The seed's metric names map to these instruments: <c>embedding_provider_latency</c> → <see cref="ProviderDurationName"/>
/// (now in seconds), <c>embedding_batch_size</c> → <see cref="BatchSizeName"/>, <c>embedding_errors_total</c> → <see cref="ErrorsName"/>.
/// </remarks>
public static class EmbeddingsTelemetry
{
    /// <summary>The name of the package's meter.</summary>
    public const string MeterName = "Cosmos.Embeddings";

    /// <summary>The name of the package's activity source.</summary>
    public const string ActivitySourceName = "Cosmos.Embeddings";

    /// <summary>Histogram, seconds: time one provider of the fallback chain took to answer one request, tagged <c>provider</c> and <c>outcome</c> (<c>success</c>/<c>failure</c>).</summary>
    public const string ProviderDurationName = "cosmos.embeddings.provider.duration";

    /// <summary>Histogram, inputs: the inputs of each batch sent down the fallback chain.</summary>
    public const string BatchSizeName = "cosmos.embeddings.batch.size";

    /// <summary>Counter, errors: failed or skipped provider calls, tagged <c>provider</c> and <c>reason</c>.</summary>
    public const string ErrorsName = "cosmos.embeddings.errors";

    /// <summary>The span of one request to the chain's first provider, tagged <c>cosmos.embeddings.provider</c> and <c>cosmos.embeddings.outcome</c>.</summary>
    public const string ProviderRequestActivityName = "cosmos.embeddings.provider.request";

    /// <summary>The span of one request to a later provider after the ones before it failed or were skipped; tagged like
    /// <see cref="ProviderRequestActivityName"/> plus <c>cosmos.embeddings.fallback.reason</c>, the last earlier provider's reason.</summary>
    public const string FallbackHopActivityName = "cosmos.embeddings.fallback.hop";
}
