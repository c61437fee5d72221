using System.Collections.Concurrent;
using System.Text.Json;
using Cosmos.TestUtils;
using Microsoft.AspNetCore.Http;

namespace Cosmos.Embeddings.Tests.Providers;

/// <summary>A request as the loopback server received it.</summary>
internal sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, JsonElement Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>A real Kestrel server that records every request and answers with a test's responder.</summary>
internal sealed class RecordingServer : IAsyncDisposable
{
    private LoopbackServer? _server;

    private RecordingServer(Func<HttpContext, RecordedRequest, Task> respond)
    {
        Responder = respond;
    }

    public Uri BaseAddress => _server!.BaseAddress;

    public ConcurrentQueue<RecordedRequest> RequestQueue { get; } = new();

    public IReadOnlyList<RecordedRequest> Requests => RequestQueue.ToArray();

    /// <summary>Answers each request; a test class sharing one server swaps it per test (tests in a class run one at a time).</summary>
    public Func<HttpContext, RecordedRequest, Task> Responder { get; set; }

    public static async Task<RecordingServer> StartAsync(Func<HttpContext, RecordedRequest, Task> respond)
    {
        var recording = new RecordingServer(respond);
        recording._server = await LoopbackServer.StartAsync(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            string text = await reader.ReadToEndAsync(context.RequestAborted);
            var body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            var recorded = new RecordedRequest(context.Request.Method, context.Request.Path.Value ?? string.Empty, context.Request.QueryString.Value ?? string.Empty, headers, body);
            recording.RequestQueue.Enqueue(recorded);
            await recording.Responder(context, recorded);
        });
        return recording;
    }

    /// <summary>Answers with <paramref name="status"/>, a JSON body and optional headers.</summary>
    public static async Task WriteJsonAsync(HttpContext context, string json, int status = 200, params (string Name, string Value)[] headers)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        foreach (var (name, value) in headers)
        {
            context.Response.Headers[name] = value;
        }

        await context.Response.WriteAsync(json, context.RequestAborted);
    }

    public ValueTask DisposeAsync() => _server?.DisposeAsync() ?? ValueTask.CompletedTask;
}

/// <summary>One recording server shared by the tests of a class, started once.</summary>
public sealed class SharedRecordingServer : IAsyncLifetime
{
    internal RecordingServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await RecordingServer.StartAsync((context, _) => Task.CompletedTask);

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
