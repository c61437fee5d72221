using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cosmos.Embeddings.Tests.VectorIndex;

public sealed class VectorIndexDependencyInjectionTests
{
    [Fact]
    public async Task AddCosmosEmbeddings_Configured_ResolvesLocalProviderAndFactory()
    {
        var services = new ServiceCollection().AddCosmosEmbeddings(o =>
        {
            o.Local.Dimensions = 128;
            o.VectorIndex.Quantization = VectorQuantization.Int8;
        });
        await using var provider = services.BuildServiceProvider();

        var local = provider.GetRequiredService<LocalEmbeddingGenerator>();
        Assert.Equal(128, local.Dimensions);
        Assert.Same(local, provider.GetRequiredKeyedService<IEmbeddingGenerator<string, Embedding<float>>>(LocalEmbeddingGenerator.ProviderName));

        using var index = provider.GetRequiredService<VectorIndexFactory>().Create(local);
        Assert.Equal(VectorQuantization.Int8, index.Quantization);
        Assert.Equal(128, index.Dimensions);
        Assert.Equal(LocalEmbeddingGenerator.ModelId, index.ModelId);
    }

    [Theory]
    [InlineData("Local.Dimensions")]
    [InlineData("VectorIndex.RescoreOversampling")]
    public async Task AddCosmosEmbeddings_InvalidOption_FailsNamingOption(string option)
    {
        var services = new ServiceCollection().AddCosmosEmbeddings(o =>
        {
            if (option == "Local.Dimensions")
            {
                o.Local.Dimensions = 1;
            }
            else
            {
                o.VectorIndex.RescoreOversampling = 1000;
            }
        });
        await using var provider = services.BuildServiceProvider();
        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<CosmosEmbeddingsOptions>>().Value);
        Assert.Contains(option, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_GeneratorWithoutMetadata_ThrowsInvalidOperation()
    {
        var factory = new VectorIndexFactory();
        Assert.Throws<InvalidOperationException>(() => factory.Create(new NoMetadataGenerator()));
    }

    private sealed class NoMetadataGenerator : IEmbeddingGenerator<string, Embedding<float>>
    {
        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
            => Task.FromResult(new GeneratedEmbeddings<Embedding<float>>());

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
