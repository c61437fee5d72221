using Microsoft.Extensions.Options;

namespace Cosmos.Embeddings.Internal.Validators;

/// <summary>Validates the pipeline part of <see cref="CosmosEmbeddingsOptions"/> at start, naming each bad option.</summary>
internal sealed class EmbeddingPipelineOptionsValidator : IValidateOptions<CosmosEmbeddingsOptions>
{
    public ValidateOptionsResult Validate(string? name, CosmosEmbeddingsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        const string Prefix = nameof(CosmosEmbeddingsOptions) + ".";

        if (options.Fallback is not { } fallback)
        {
            errors.Add(Prefix + "Fallback must not be null.");
        }
        else
        {
            if (!Enum.IsDefined(fallback.ModelMixing))
            {
                errors.Add($"{Prefix}Fallback.ModelMixing must be Fail or Tag; it is {(int)fallback.ModelMixing}.");
            }

            if (!(fallback.CircuitBreakerFailureRatio > 0 && fallback.CircuitBreakerFailureRatio <= 1))
            {
                errors.Add($"{Prefix}Fallback.CircuitBreakerFailureRatio must be in (0, 1]; it is {fallback.CircuitBreakerFailureRatio}.");
            }

            if (fallback.CircuitBreakerMinimumThroughput < 2)
            {
                errors.Add($"{Prefix}Fallback.CircuitBreakerMinimumThroughput must be at least 2; it is {fallback.CircuitBreakerMinimumThroughput}.");
            }

            if (fallback.CircuitBreakerSamplingDuration < TimeSpan.FromMilliseconds(500) || fallback.CircuitBreakerSamplingDuration > TimeSpan.FromDays(1))
            {
                errors.Add($"{Prefix}Fallback.CircuitBreakerSamplingDuration must be between 500 ms and 1 day; it is {fallback.CircuitBreakerSamplingDuration}.");
            }

            if (fallback.CircuitBreakerBreakDuration < TimeSpan.FromMilliseconds(500) || fallback.CircuitBreakerBreakDuration > TimeSpan.FromDays(1))
            {
                errors.Add($"{Prefix}Fallback.CircuitBreakerBreakDuration must be between 500 ms and 1 day; it is {fallback.CircuitBreakerBreakDuration}.");
            }
        }

        if (options.Batching is not { } batching)
        {
            errors.Add(Prefix + "Batching must not be null.");
        }
        else
        {
            if (batching.MaxBatchSize < 1)
            {
                errors.Add($"{Prefix}Batching.MaxBatchSize must be at least 1; it is {batching.MaxBatchSize}.");
            }

            if (batching.MaxBatchTokens is < 1)
            {
                errors.Add($"{Prefix}Batching.MaxBatchTokens must be at least 1 or null; it is {batching.MaxBatchTokens}.");
            }

            if (batching.MaxConcurrency is < 1 or > 256)
            {
                errors.Add($"{Prefix}Batching.MaxConcurrency must be between 1 and 256; it is {batching.MaxConcurrency}.");
            }

            if (batching.TokenEstimator is null)
            {
                errors.Add(Prefix + "Batching.TokenEstimator must not be null.");
            }
        }

        if (options.Cache is not { } cache)
        {
            errors.Add(Prefix + "Cache must not be null.");
        }
        else if (options.CacheEnabled)
        {
            if (cache.SizeLimit < 1)
            {
                errors.Add($"{Prefix}Cache.SizeLimit must be at least 1 while CacheEnabled is true; it is {cache.SizeLimit}.");
            }

            if (cache.TimeToLive is { } ttl && ttl <= TimeSpan.Zero)
            {
                errors.Add($"{Prefix}Cache.TimeToLive must be positive or null; it is {ttl}.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
