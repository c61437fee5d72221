using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Cosmos.Embeddings.Providers;

/// <summary>The base of providers that run in the host's process instead of calling a server, such as the ONNX model of
/// Cosmos.Embeddings.Onnx; adapter packages derive from it to join <c>CosmosEmbeddingsOptions.Providers</c>.</summary>
public abstract class InProcessEmbeddingProviderOptions : EmbeddingProviderOptions
{
    /// <summary>Initialises the options.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0022:Constructor make noninheritable base class inheritable", Justification = "This class is the extension point for adapter packages; the base keeps its members internal or public.")]
    protected InProcessEmbeddingProviderOptions()
    {
    }

    /// <summary>The model id used when <see cref="EmbeddingProviderOptions.ModelId"/> is not set, or <see langword="null"/> when there is none.</summary>
    protected abstract string? DefaultModel { get; }

    /// <inheritdoc />
    internal override string? DefaultModelId => DefaultModel;

    /// <summary>Builds the generator these options describe; the fallback chain that asks for it owns and disposes it.</summary>
    /// <param name="timeProvider">The host's clock.</param>
    /// <param name="loggerFactory">The host's logger factory.</param>
    /// <returns>The generator.</returns>
    protected abstract IEmbeddingGenerator<string, Embedding<float>> CreateGenerator(TimeProvider timeProvider, ILoggerFactory loggerFactory);

    /// <summary>Adds a message for every invalid setting of the derived options to <paramref name="failures"/>, each starting with <paramref name="path"/>.</summary>
    /// <param name="failures">Receives the messages.</param>
    /// <param name="path">The entry's path, e.g. <c>Providers[2]</c>.</param>
    protected virtual void ValidateSettings(ICollection<string> failures, string path)
    {
    }

    /// <inheritdoc />
    internal override void Validate(List<string> failures, string path)
    {
        base.Validate(failures, path);
        ValidateSettings(failures, path);
    }

    /// <inheritdoc />
    internal override IEmbeddingGenerator<string, Embedding<float>> CreateGenerator(HttpClient? httpClient, TimeProvider timeProvider, ILoggerFactory loggerFactory) =>
        CreateGenerator(timeProvider, loggerFactory);
}
