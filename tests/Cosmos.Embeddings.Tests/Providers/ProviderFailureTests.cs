using Microsoft.Extensions.Time.Testing;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Cosmos.Embeddings.Providers;
using Cosmos.TestUtils;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;

namespace Cosmos.Embeddings.Tests.Providers;

/// <summary>Every hosted provider, against a real server, classifies each kind of failure the same way and never leaks its key.</summary>
public sealed class ProviderFailureTests(SharedRecordingServer shared) : IClassFixture<SharedRecordingServer>
{
    private static ProviderCase Case(string name) => ProviderCase.All[name];

    private RecordingServer Serve(Func<HttpContext, Task> respond)
    {
        var server = shared.Server;
        server.RequestQueue.Clear();
        server.Responder = (context, _) => respond(context);
        return server;
    }

    private async Task<(EmbeddingProviderException Exception, ListLoggerFactory Logs)> FailAsync(
        string provider,
        Func<HttpContext, Task> respond,
        Action<HttpEmbeddingProviderOptions>? configure = null,
        TimeProvider? time = null,
        string[]? inputs = null)
    {
        var server = Serve(respond);
        var logs = new ListLoggerFactory();
        using var generator = Case(provider).Create(server.BaseAddress, configure, time, logs);
        var ex = await Assert.ThrowsAsync<EmbeddingProviderException>(() => generator.GenerateAsync(inputs ?? ["a", "b"]));
        AssertNoKey(ex, logs);
        Assert.Equal(Case(provider).Name == "azure" ? "azure.ai.openai" : generator.GetService<EmbeddingGeneratorMetadata>()!.ProviderName, ex.ProviderName);
        return (ex, logs);
    }

    private static void AssertNoKey(Exception ex, ListLoggerFactory logs)
    {
        Assert.DoesNotContain(ProviderCase.Key, ex.ToString(), StringComparison.Ordinal);
        Assert.NotEmpty(logs.Logger.Lines);
        Assert.All(logs.Logger.Lines, line => Assert.DoesNotContain(ProviderCase.Key, line, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(ProviderCase.Names), MemberType = typeof(ProviderCase))]
    public async Task GenerateAsync_Success_PostsToDocumentedPathAndValidatesShape(string provider)
    {
        float[][] vectors = [[0.5f, -0.5f, 0.25f], [1f, 2f, 3f]];
        var server = Serve(context => RecordingServer.WriteJsonAsync(context, Case(provider).SuccessBody(vectors)));
        var logs = new ListLoggerFactory();
        using var generator = Case(provider).Create(server.BaseAddress, o => o.Dimensions = 3, loggers: logs);

        var result = await generator.GenerateAsync(["first", "second"]);

        var request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal(Case(provider).Path, request.Path);
        Assert.Equal(vectors, result.Select(e => e.Vector.ToArray()));
        Assert.All(result, e => Assert.False(string.IsNullOrEmpty(e.ModelId)));
        Assert.All(result, e => Assert.NotNull(e.CreatedAt));
        Assert.All(logs.Logger.Lines, line => Assert.DoesNotContain(ProviderCase.Key, line, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(ProviderCase.Names), MemberType = typeof(ProviderCase))]
    public async Task GenerateAsync_429WithRetryAfterSeconds_ThrowsRateLimitedWithRetryAfter(string provider)
    {
        var (ex, _) = await FailAsync(provider, c => RecordingServer.WriteJsonAsync(c, "{\"message\":\"too many\"}", 429, ("Retry-After", "7")));

        Assert.Equal(EmbeddingProviderFailureReason.RateLimited, ex.Reason);
        Assert.Equal(HttpStatusCode.TooManyRequests, ex.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), ex.RetryAfter);
        Assert.True(ex.IsTransient);
    }

    [Theory]
    [MemberData(nameof(ProviderCase.Names), MemberType = typeof(ProviderCase))]
    public async Task GenerateAsync_429WithRetryAfterHttpDate_MeasuresRetryAfterFromTheInjectedClock(string provider)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 5, 6, 7, 8, 9, TimeSpan.Zero));
        string date = time.GetUtcNow().AddSeconds(30).ToString("r", CultureInfo.InvariantCulture);

        var (ex, _) = await FailAsync(provider, c => RecordingServer.WriteJsonAsync(c, "{}", 429, ("Retry-After", date)), time: time);

        Assert.Equal(EmbeddingProviderFailureReason.RateLimited, ex.Reason);
        Assert.Equal(TimeSpan.FromSeconds(30), ex.RetryAfter);
    }

    [Theory]
    [MemberData(nameof(ProviderCase.Names), MemberType = typeof(ProviderCase))]
    public async Task GenerateAsync_429WithRetryAfterMs_ThrowsRateLimitedWithMilliseconds(string provider)
    {
        var (ex, _) = await FailAsync(provider, c => RecordingServer.WriteJsonAsync(c, "{}", 429, ("retry-after-ms", "250")));

        Assert.Equal(EmbeddingProviderFailureReason.RateLimited, ex.Reason);
        Assert.Equal(TimeSpan.FromMilliseconds(250), ex.RetryAfter);
    }

    [Theory]
    [MemberData(nameof(ProviderCase.Names), MemberType = typeof(ProviderCase))]
    public async Task GenerateAsync_500_ThrowsServerErrorWithRedactedBody(string provider)
    {
        var (ex, _) = await FailAsync(provider, c => RecordingServer.WriteJsonAsync(c, $"{{\"error\":\"model crashed while using {ProviderCase.Key}\"}}", 500));

        Assert.Equal(EmbeddingProviderFailureReason.ServerError, ex.Reason);
        Assert.Equal(HttpStatusCode.InternalServerError, ex.StatusCode);
        Assert.Null(ex.RetryAfter);
        Assert.True(ex.IsTransient);
        Assert.Contains("model crashed", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[redacted]", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ProviderCase.Names), MemberType = typeof(ProviderCase))]
    public async Task GenerateAsync_401EchoingTheKey_ThrowsUnauthorizedWithoutTheKey(string provider)
    {
        var (ex, _) = await FailAsync(provider, c => RecordingServer.WriteJsonAsync(c, $"{{\"error\":\"invalid key {ProviderCase.Key[..12]}...\"}}", 401));

        Assert.Equal(EmbeddingProviderFailureReason.Unauthorized, ex.Reason);
        Assert.False(ex.IsTransient);
        Assert.DoesNotContain(ProviderCase.Key[..12], ex.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ProviderCase.Names), MemberType = typeof(ProviderCase))]
    public async Task GenerateAsync_400_ThrowsBadRequestThatIsNotTransient(string provider)
    {
        var (ex, _) = await FailAsync(provider, c => RecordingServer.WriteJsonAsync(c, "{\"message\":\"input too long\"}", 400));

        Assert.Equal(EmbeddingProviderFailureReason.BadRequest, ex.Reason);
        Assert.False(ex.IsTransient);
        Assert.Contains("input too long", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ProviderCase.Names), MemberType = typeof(ProviderCase))]
    public async Task GenerateAsync_ServerSlowerThanTimeout_ThrowsTimeout(string provider)
    {
        var (ex, _) = await FailAsync(
            provider,
            async c =>
            {
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(10), c.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    // The client gave up, as the test expects.
                }
            },
            o => o.Timeout = TimeSpan.FromMilliseconds(200));

        Assert.Equal(EmbeddingProviderFailureReason.Timeout, ex.Reason);
        Assert.Null(ex.StatusCode);
        Assert.IsAssignableFrom<OperationCanceledException>(ex.InnerException);
    }

    [Theory]
    [MemberData(nameof(ProviderCase.Names), MemberType = typeof(ProviderCase))]
    public async Task GenerateAsync_CallerCancels_ThrowsOperationCanceledNotProviderException(string provider)
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await RecordingServer.StartAsync(async (context, _) =>
        {
            arrived.TrySetResult();
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The client gave up, as the test expects.
            }
        });
        using var generator = Case(provider).Create(server.BaseAddress);
        using var cts = new CancellationTokenSource();

        var call = generator.GenerateAsync(["a"], cancellationToken: cts.Token);
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(5));
        await cts.CancelAsync();

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(cts.Token, ex.CancellationToken);
    }

    [Theory]
    [MemberData(nameof(ProviderCase.Names), MemberType = typeof(ProviderCase))]
    public async Task GenerateAsync_MalformedJson_ThrowsMalformedResponse(string provider)
    {
        var (ex, _) = await FailAsync(provider, c => RecordingServer.WriteJsonAsync(c, "{\"data\": [ {\"embedding\": [0.1, 0.2"));

        Assert.Equal(EmbeddingProviderFailureReason.MalformedResponse, ex.Reason);
        Assert.False(ex.IsTransient);
    }

    [Theory]
    [MemberData(nameof(ProviderCase.Names), MemberType = typeof(ProviderCase))]
    public async Task GenerateAsync_WrongShapeJson_ThrowsMalformedResponse(string provider)
    {
        var (ex, _) = await FailAsync(provider, c => RecordingServer.WriteJsonAsync(c, "\"hello\""));

        Assert.Equal(EmbeddingProviderFailureReason.MalformedResponse, ex.Reason);
    }

    [Theory]
    [MemberData(nameof(ProviderCase.Names), MemberType = typeof(ProviderCase))]
    public async Task GenerateAsync_FewerVectorsThanInputs_ThrowsMalformedResponse(string provider)
    {
        var (ex, _) = await FailAsync(provider, c => RecordingServer.WriteJsonAsync(c, Case(provider).SuccessBody([[1f, 2f]])), inputs: ["a", "b", "c"]);

        Assert.Equal(EmbeddingProviderFailureReason.MalformedResponse, ex.Reason);
        Assert.Contains("1 vectors for 3 inputs", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ProviderCase.Names), MemberType = typeof(ProviderCase))]
    public async Task GenerateAsync_VectorsShorterThanConfiguredDimensions_ThrowsDimensionMismatch(string provider)
    {
        var (ex, _) = await FailAsync(provider, c => RecordingServer.WriteJsonAsync(c, Case(provider).SuccessBody([[1f, 2f, 3f], [4f, 5f, 6f]])), o => o.Dimensions = 4);

        Assert.Equal(EmbeddingProviderFailureReason.DimensionMismatch, ex.Reason);
        Assert.Contains("3 dimensions at index 0; expected 4", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ProviderCase.Names), MemberType = typeof(ProviderCase))]
    public async Task GenerateAsync_VectorsOfDifferentLengths_ThrowsDimensionMismatch(string provider)
    {
        var (ex, _) = await FailAsync(provider, c => RecordingServer.WriteJsonAsync(c, Case(provider).SuccessBody([[1f, 2f, 3f], [4f, 5f]])));

        Assert.Equal(EmbeddingProviderFailureReason.DimensionMismatch, ex.Reason);
        Assert.Contains("index 1", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ProviderCase.Names), MemberType = typeof(ProviderCase))]
    public async Task GenerateAsync_NothingListening_ThrowsUnavailable(string provider)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var logs = new ListLoggerFactory();
        using var generator = Case(provider).Create(new Uri($"http://127.0.0.1:{port}/"), loggers: logs);

        var ex = await Assert.ThrowsAsync<EmbeddingProviderException>(() => generator.GenerateAsync(["a"]));

        Assert.Equal(EmbeddingProviderFailureReason.Unavailable, ex.Reason);
        Assert.True(ex.IsTransient);
        AssertNoKey(ex, logs);
    }
}
