namespace Cosmos.Embeddings.Providers;

/// <summary>Settings shared by the providers that call a hosted HTTP API: endpoint, API key, timeout and request limits.</summary>
public abstract class HttpEmbeddingProviderOptions : EmbeddingProviderOptions
{
    private protected HttpEmbeddingProviderOptions()
    {
    }

    /// <summary>The server's base address; the provider appends its documented path (e.g. <c>v1/embeddings</c>).</summary>
    /// <value>The default value is <see langword="null"/>, which uses the provider's public endpoint where it has one.</value>
    public Uri? Endpoint { get; set; }

    /// <summary>The API key (or access token) sent in the provider's authentication header. It never appears in logs or exception messages.</summary>
    /// <value>The default value is <see langword="null"/> (no authentication header).</value>
    public string? ApiKey { get; set; }

    /// <summary>The longest one request may take, from sending to reading the last byte; past it the call fails with
    /// <see cref="EmbeddingProviderFailureReason.Timeout"/>.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Overrides the provider's documented maximum number of inputs per request.</summary>
    /// <value>The default value is <see langword="null"/> (the provider's documented limit).</value>
    public int? MaxInputsPerRequest { get; set; }

    /// <summary>Overrides the provider's maximum estimated tokens per request (see <see cref="EmbeddingProviderLimits.EstimateTokens"/>).</summary>
    /// <value>The default value is <see langword="null"/> (the provider's documented limit, if any).</value>
    public int? MaxTokensPerRequest { get; set; }

    /// <summary>Overrides the provider's maximum estimated tokens of one input (OpenAI: 8,191); longer inputs are refused before sending.</summary>
    /// <value>The default value is <see langword="null"/> (the provider's documented limit, if any).</value>
    public int? MaxTokensPerInput { get; set; }

    /// <summary>The name of the <see cref="HttpClient"/> this provider asks <c>IHttpClientFactory</c> for: <c>Cosmos.Embeddings.{Name}</c>.
    /// A host configures that client (proxy, handlers) with <c>services.AddHttpClient(name)</c>.</summary>
    public string HttpClientName => "Cosmos.Embeddings." + Name;

    /// <summary>The limits a request to this provider must respect: the overrides above, else the provider's documented limits.</summary>
    public EmbeddingProviderLimits Limits
    {
        get
        {
            var defaults = DefaultLimits;
            return new EmbeddingProviderLimits(
                MaxInputsPerRequest is int inputs and >= 1 ? inputs : defaults.MaxInputsPerRequest,
                MaxTokensPerRequest is int tokens and >= 1 ? tokens : defaults.MaxTokensPerRequest,
                MaxTokensPerInput is int perInput and >= 1 ? perInput : defaults.MaxTokensPerInput);
        }
    }

    /// <summary>The provider's documented per-request limits.</summary>
    internal abstract EmbeddingProviderLimits DefaultLimits { get; }

    /// <summary>The public endpoint used when <see cref="Endpoint"/> is not set, or <see langword="null"/> when the host must give one.</summary>
    internal abstract Uri? DefaultEndpoint { get; }

    /// <summary>Whether this configuration cannot work without <see cref="ApiKey"/>.</summary>
    internal abstract bool RequiresApiKey { get; }

    /// <summary>The endpoint requests go to, always ending with a slash so relative paths append.</summary>
    internal Uri? EffectiveEndpoint
    {
        get
        {
            var endpoint = Endpoint ?? DefaultEndpoint;
            if (endpoint is null || !endpoint.IsAbsoluteUri)
            {
                return endpoint;
            }

            return endpoint.AbsoluteUri.EndsWith('/') ? endpoint : new Uri(endpoint.AbsoluteUri + "/");
        }
    }

    /// <inheritdoc />
    internal override void Validate(List<string> failures, string path)
    {
        base.Validate(failures, path);
        var endpoint = Endpoint ?? DefaultEndpoint;
        if (endpoint is null)
        {
            failures.Add($"{path}.{nameof(Endpoint)} is required for provider '{ProviderName}'.");
        }
        else if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"{path}.{nameof(Endpoint)} must be an absolute http or https address.");
        }
        else if (!string.IsNullOrEmpty(endpoint.Query) || !string.IsNullOrEmpty(endpoint.UserInfo))
        {
            failures.Add($"{path}.{nameof(Endpoint)} must not contain a query string or user info; put credentials in {nameof(ApiKey)}.");
        }

        if (RequiresApiKey && string.IsNullOrWhiteSpace(ApiKey))
        {
            failures.Add($"{path}.{nameof(ApiKey)} is required for provider '{ProviderName}'.");
        }
        else if (ApiKey is not null && ApiKey.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            failures.Add($"{path}.{nameof(ApiKey)} must not contain line breaks.");
        }

        if (Timeout <= TimeSpan.Zero || Timeout > TimeSpan.FromHours(1))
        {
            failures.Add($"{path}.{nameof(Timeout)} must be greater than zero and at most one hour (was {Timeout}).");
        }

        if (MaxInputsPerRequest is int inputs && inputs < 1)
        {
            failures.Add($"{path}.{nameof(MaxInputsPerRequest)} must be at least 1 when set (was {inputs}).");
        }

        if (MaxTokensPerRequest is int tokens && tokens < 1)
        {
            failures.Add($"{path}.{nameof(MaxTokensPerRequest)} must be at least 1 when set (was {tokens}).");
        }
    }
}
