using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;

namespace Cosmos.Embeddings.Providers.Internal;

/// <summary>Posts JSON to one provider and turns every failure into an <see cref="EmbeddingProviderException"/> with a reason.</summary>
internal sealed class ProviderHttpTransport
{
    private const int ErrorBodyCharacters = 300;
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json");
    private static readonly MediaTypeWithQualityHeaderValue AcceptJson = new("application/json");

    private readonly HttpClient _httpClient;
    private readonly Uri _endpoint;
    private readonly string _providerName;
    private readonly string? _authHeaderName;
    private readonly string? _authHeaderValue;
    private readonly string? _secret;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    // authHeaderName/authHeaderValue: the header that carries the key (Authorization: Bearer, or api-key), or null for none.
    // secret: the raw key, redacted from any server text copied into an exception message.
    public ProviderHttpTransport(
        HttpClient httpClient,
        Uri endpoint,
        string providerName,
        string? authHeaderName,
        string? authHeaderValue,
        string? secret,
        TimeSpan timeout,
        TimeProvider timeProvider,
        ILogger logger)
    {
        _httpClient = httpClient;
        _endpoint = endpoint;
        _providerName = providerName;
        _authHeaderName = authHeaderName;
        _authHeaderValue = authHeaderValue;
        _secret = string.IsNullOrEmpty(secret) ? null : secret;
        _timeout = timeout;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public TimeProvider TimeProvider => _timeProvider;

    /// <summary>Builds a transport for <paramref name="options"/> that sends the key as <c>Authorization: Bearer {key}</c>.</summary>
    public static ProviderHttpTransport CreateBearer(HttpClient httpClient, HttpEmbeddingProviderOptions options, TimeProvider? timeProvider, ILogger? logger)
    {
        bool hasKey = !string.IsNullOrEmpty(options.ApiKey);
        return new ProviderHttpTransport(
            httpClient,
            options.EffectiveEndpoint!,
            options.Name,
            hasKey ? "Authorization" : null,
            hasKey ? "Bearer " + options.ApiKey : null,
            options.ApiKey,
            options.Timeout,
            timeProvider ?? TimeProvider.System,
            logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
    }

    public ILogger Logger => _logger;

    public string ProviderName => _providerName;

    /// <summary>Sends <paramref name="body"/> to <paramref name="relativePath"/> and reads the JSON answer.</summary>
    /// <exception cref="EmbeddingProviderException">The server failed, answered badly or did not answer in time.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public async Task<TResponse> PostAsync<TRequest, TResponse>(
        string relativePath,
        TRequest body,
        JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse> responseType,
        CancellationToken cancellationToken)
        where TResponse : class
    {
        cancellationToken.ThrowIfCancellationRequested();
        long started = _timeProvider.GetTimestamp();

        // The timeout runs on the injected clock and is linked to the caller's token, so a caller's cancellation and
        // our own deadline can be told apart afterwards.
        using var timeoutSource = new CancellationTokenSource(_timeout, _timeProvider);
        using var linkedSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        var token = linkedSource.Token;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_endpoint, relativePath));
            var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, requestType));
            content.Headers.ContentType = JsonMediaType;
            request.Content = content;
            request.Headers.Accept.Add(AcceptJson);
            if (_authHeaderName is not null && _authHeaderValue is not null)
            {
                request.Headers.TryAddWithoutValidation(_authHeaderName, _authHeaderValue);
            }

            using var response = await _httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw await CreateStatusExceptionAsync(response, token).ConfigureAwait(false);
            }

            var stream = await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                TResponse? result;
                try
                {
                    result = await JsonSerializer.DeserializeAsync(stream, responseType, token).ConfigureAwait(false);
                }
                catch (JsonException ex)
                {
                    throw Fail(EmbeddingProviderFailureReason.MalformedResponse, $"Embedding provider '{_providerName}' returned a response that is not valid JSON of the expected shape: {ex.Message}", ex, response.StatusCode);
                }

                return result ?? throw Fail(EmbeddingProviderFailureReason.MalformedResponse, $"Embedding provider '{_providerName}' returned an empty (null) JSON body.", null, response.StatusCode);
            }
        }
        catch (EmbeddingProviderException ex)
        {
            Log(ex, started);
            throw;
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested && ex.CancellationToken != cancellationToken)
        {
            // The linked token was canceled because the caller's was; report the caller's token so they recognise it.
            throw new OperationCanceledException(ex.Message, ex, cancellationToken);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Not the caller: our deadline, or the HttpClient's own Timeout, expired.
            string limit = timeoutSource.IsCancellationRequested
                ? $"the configured timeout of {_timeout.TotalMilliseconds:0} ms"
                : $"the HttpClient's timeout of {_httpClient.Timeout.TotalMilliseconds:0} ms";
            var timeout = Fail(EmbeddingProviderFailureReason.Timeout, $"Embedding provider '{_providerName}' did not answer within {limit}.", ex, null);
            Log(timeout, started);
            throw timeout;
        }
        catch (HttpRequestException ex)
        {
            var unavailable = Fail(EmbeddingProviderFailureReason.Unavailable, $"Embedding provider '{_providerName}' could not be reached at {_endpoint.GetLeftPart(UriPartial.Authority)}: {Redact(ex.Message)}", ex, null);
            Log(unavailable, started);
            throw unavailable;
        }
        catch (IOException ex)
        {
            var unavailable = Fail(EmbeddingProviderFailureReason.Unavailable, $"Embedding provider '{_providerName}' closed the connection while answering: {Redact(ex.Message)}", ex, null);
            Log(unavailable, started);
            throw unavailable;
        }
    }

    /// <summary>Logs success of a request that started at <paramref name="started"/>.</summary>
    public void LogSuccess(int inputCount, string? modelId, long started)
    {
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            double elapsed = _timeProvider.GetElapsedTime(started).TotalMilliseconds;
            ProviderLog.RequestSucceeded(_logger, _providerName, inputCount, modelId, elapsed);
        }
    }

    /// <summary>Creates (does not throw) an exception for this provider and logs it.</summary>
    public EmbeddingProviderException ResponseFailure(EmbeddingProviderFailureReason reason, string message, long started)
    {
        var exception = Fail(reason, $"Embedding provider '{_providerName}' {message}", null, HttpStatusCode.OK);
        Log(exception, started);
        return exception;
    }

    internal static TimeSpan? ParseRetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        // retry-after-ms (OpenAI, Azure OpenAI) is more precise than Retry-After, so it wins when present.
        if (response.Headers.TryGetValues("retry-after-ms", out var milliseconds))
        {
            foreach (var value in milliseconds)
            {
                if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double ms) && double.IsFinite(ms) && ms >= 0)
                {
                    return TimeSpan.FromMilliseconds(Math.Min(ms, TimeSpan.FromDays(1).TotalMilliseconds));
                }
            }
        }

        var retryAfter = response.Headers.RetryAfter;
        if (retryAfter?.Delta is TimeSpan delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (retryAfter?.Date is DateTimeOffset date)
        {
            var wait = date - now;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    private async Task<EmbeddingProviderException> CreateStatusExceptionAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = response.StatusCode;
        var reason = (int)status switch
        {
            401 or 403 => EmbeddingProviderFailureReason.Unauthorized,
            408 => EmbeddingProviderFailureReason.Timeout,
            429 => EmbeddingProviderFailureReason.RateLimited,
            >= 500 => EmbeddingProviderFailureReason.ServerError,
            _ => EmbeddingProviderFailureReason.BadRequest,
        };

        var retryAfter = ParseRetryAfter(response, _timeProvider.GetUtcNow());

        // Servers sometimes echo (part of) the credentials in authentication errors, so their bodies are never copied.
        string detail = reason == EmbeddingProviderFailureReason.Unauthorized
            ? "check the API key"
            : await ReadErrorBodyAsync(response, cancellationToken).ConfigureAwait(false);

        var message = $"Embedding provider '{_providerName}' answered HTTP {(int)status} ({status})"
            + (retryAfter is TimeSpan wait ? $"; retry after {wait.TotalMilliseconds:0} ms" : string.Empty)
            + (detail.Length > 0 ? $": {detail}" : ".");
        return Fail(reason, message, null, status, retryAfter);
    }

    private async Task<string> ReadErrorBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            // Read only the start of the body: error pages can be large and only a snippet goes into the message. The window
            // reaches one key length past the snippet so a key that starts inside the snippet is redacted whole before the
            // cut, never left half visible; one more character shows whether the body was cut.
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            using var reader = new StreamReader(stream);
            var buffer = new char[ErrorBodyCharacters + (_secret?.Length ?? 0) + 1];
            int read = await reader.ReadBlockAsync(buffer, cancellationToken).ConfigureAwait(false);
            string text = Redact(new string(buffer, 0, read)).ReplaceLineEndings(" ").Trim();
            return text.Length > ErrorBodyCharacters || read == buffer.Length
                ? string.Concat(text.AsSpan(0, Math.Min(text.Length, ErrorBodyCharacters)), "...")
                : text;
        }
        catch (HttpRequestException)
        {
            return string.Empty;
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    private string Redact(string text) =>
        _secret is null ? text : text.Replace(_secret, "[redacted]", StringComparison.Ordinal);

    private EmbeddingProviderException Fail(EmbeddingProviderFailureReason reason, string message, Exception? inner, HttpStatusCode? status, TimeSpan? retryAfter = null) =>
        new(reason, message, inner)
        {
            ProviderName = _providerName,
            StatusCode = status,
            RetryAfter = retryAfter,
        };

    private void Log(EmbeddingProviderException exception, long started)
    {
        if (_logger.IsEnabled(LogLevel.Warning))
        {
            double elapsed = _timeProvider.GetElapsedTime(started).TotalMilliseconds;
            ProviderLog.RequestFailed(_logger, _providerName, exception.Reason, exception.StatusCode, exception.RetryAfter, elapsed);
        }
    }
}
