using Microsoft.Extensions.Time.Testing;
using System.Net;
using Cosmos.Embeddings.Providers;
using Cosmos.TestUtils;

namespace Cosmos.Embeddings.Tests.Providers;

public sealed class ProviderTimeoutTests
{
    private static async Task<RecordingServer> StartHangingServerAsync(TaskCompletionSource arrived) =>
        await RecordingServer.StartAsync(async (context, _) =>
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

    [Fact]
    public async Task GenerateAsync_InjectedClockPassesTimeout_ThrowsTimeout()
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await StartHangingServerAsync(arrived);
        var time = new FakeTimeProvider();
        using var generator = ProviderCase.All["ollama"].Create(server.BaseAddress, o => o.Timeout = TimeSpan.FromSeconds(30), time);

        var call = generator.GenerateAsync(["a"]);
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(call.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(30));

        var ex = await Assert.ThrowsAsync<EmbeddingProviderException>(() => call);
        Assert.Equal(EmbeddingProviderFailureReason.Timeout, ex.Reason);
        Assert.Contains("configured timeout of 30000 ms", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenerateAsync_HttpClientTimeoutFirst_ThrowsTimeoutNamingTheClient()
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await StartHangingServerAsync(arrived);
        using var client = new HttpClient { Timeout = TimeSpan.FromMilliseconds(150) };
        using var generator = ProviderCase.All["tei"].Create(server.BaseAddress, client: client);

        var ex = await Assert.ThrowsAsync<EmbeddingProviderException>(() => generator.GenerateAsync(["a"]));

        Assert.Equal(EmbeddingProviderFailureReason.Timeout, ex.Reason);
        Assert.Contains("HttpClient's timeout", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenerateAsync_503WithRetryAfter_ThrowsServerErrorWithRetryAfter()
    {
        await using var server = await RecordingServer.StartAsync((context, _) => RecordingServer.WriteJsonAsync(context, "{}", 503, ("Retry-After", "3")));
        using var generator = ProviderCase.All["cohere"].Create(server.BaseAddress);

        var ex = await Assert.ThrowsAsync<EmbeddingProviderException>(() => generator.GenerateAsync(["a"]));

        Assert.Equal(EmbeddingProviderFailureReason.ServerError, ex.Reason);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ex.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(3), ex.RetryAfter);
    }

    [Fact]
    public async Task GenerateAsync_408_ThrowsTimeoutWithStatus()
    {
        await using var server = await RecordingServer.StartAsync((context, _) => RecordingServer.WriteJsonAsync(context, "{}", 408));
        using var generator = ProviderCase.All["voyage"].Create(server.BaseAddress);

        var ex = await Assert.ThrowsAsync<EmbeddingProviderException>(() => generator.GenerateAsync(["a"]));

        Assert.Equal(EmbeddingProviderFailureReason.Timeout, ex.Reason);
        Assert.Equal(HttpStatusCode.RequestTimeout, ex.StatusCode);
    }

    [Fact]
    public async Task GenerateAsync_LargeErrorBody_KeepsOnlyTheStartInTheMessage()
    {
        string body = "{\"error\":\"" + new string('x', 100_000) + "\"}";
        await using var server = await RecordingServer.StartAsync((context, _) => RecordingServer.WriteJsonAsync(context, body, 400));
        using var generator = ProviderCase.All["openai"].Create(server.BaseAddress);

        var ex = await Assert.ThrowsAsync<EmbeddingProviderException>(() => generator.GenerateAsync(["a"]));

        Assert.Equal(EmbeddingProviderFailureReason.BadRequest, ex.Reason);
        Assert.EndsWith("...", ex.Message, StringComparison.Ordinal);
        Assert.InRange(ex.Message.Length, 300, 500);
    }

    [Theory]
    [InlineData(280)]
    [InlineData(295)]
    [InlineData(299)]
    public async Task GenerateAsync_KeyStraddlingTheSnippetEnd_IsNeverPartlyShown(int offset)
    {
        string body = new string('x', offset) + ProviderCase.Key + new string('y', 50);
        await using var server = await RecordingServer.StartAsync((context, _) => RecordingServer.WriteJsonAsync(context, body, 500));
        using var generator = ProviderCase.All["cohere"].Create(server.BaseAddress);

        var ex = await Assert.ThrowsAsync<EmbeddingProviderException>(() => generator.GenerateAsync(["a"]));

        Assert.DoesNotContain(ProviderCase.Key[..6], ex.ToString(), StringComparison.Ordinal);
    }
}
