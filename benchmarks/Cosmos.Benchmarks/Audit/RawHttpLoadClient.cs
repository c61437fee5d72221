using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Cosmos.Benchmarks.Audit;

/// <summary>A lean HTTP/1.1 load client for <see cref="ProtectedEndpointLoad"/>: keep-alive sockets sending one pre-encoded
/// <c>GET</c> (the same request line and headers for every request, bearer token included) and reading each response to its
/// end (Content-Length or chunked) before the next, like wrk does without pipelining. It spends far less CPU per request than
/// <see cref="HttpClient"/>, which matters when the client shares the server's two cores: the floor then measures Kestrel
/// rather than the client.</summary>
internal sealed class RawHttpLoadClient : IDisposable
{
    private readonly IPEndPoint _endpoint;
    private readonly byte[] _request;
    private readonly Connection[] _connections;

    public RawHttpLoadClient(Uri baseAddress, string path, string token, int connections)
    {
        _endpoint = new IPEndPoint(IPAddress.Parse(baseAddress.Host), baseAddress.Port);
        _request = Encoding.ASCII.GetBytes(
            $"GET /{path} HTTP/1.1\r\nHost: {baseAddress.Host}:{baseAddress.Port}\r\nAuthorization: Bearer {token}\r\n\r\n");
        _connections = new Connection[connections];
    }

    /// <summary>Sends <paramref name="requests"/> requests over the connections, each connection taking the next as soon as its
    /// previous response ended; throws unless every response is <c>200</c>.</summary>
    public async Task RunAsync(int requests)
    {
        var remaining = requests;
        var workers = new Task[_connections.Length];
        for (var i = 0; i < workers.Length; i++)
        {
            var connection = _connections[i] ??= await Connection.OpenAsync(_endpoint).ConfigureAwait(false);
            workers[i] = Task.Run(async () =>
            {
                while (Interlocked.Decrement(ref remaining) >= 0)
                {
                    await connection.SendAsync(_request).ConfigureAwait(false);
                }
            });
        }

        await Task.WhenAll(workers).ConfigureAwait(false);
    }

    public void Dispose()
    {
        foreach (var connection in _connections)
        {
            connection?.Dispose();
        }
    }

    private sealed class Connection : IDisposable
    {
        private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();
        private static readonly byte[] ChunkedEnd = "\r\n0\r\n\r\n"u8.ToArray();
        private readonly Socket _socket;
        private readonly byte[] _buffer = new byte[16 * 1024];

        private Connection(Socket socket) => _socket = socket;

        public static async Task<Connection> OpenAsync(IPEndPoint endpoint)
        {
            var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(endpoint).ConfigureAwait(false);
            return new Connection(socket);
        }

        public async Task SendAsync(byte[] request)
        {
            await _socket.SendAsync(request, SocketFlags.None).ConfigureAwait(false);
            var filled = 0;
            var bodyStart = -1;
            var contentLength = -1L;
            while (true)
            {
                var read = await _socket.ReceiveAsync(_buffer.AsMemory(filled), SocketFlags.None).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new InvalidOperationException("The server closed the connection.");
                }

                filled += read;
                if (bodyStart < 0)
                {
                    var end = _buffer.AsSpan(0, filled).IndexOf(HeaderEnd);
                    if (end < 0)
                    {
                        continue;
                    }

                    bodyStart = end + HeaderEnd.Length;
                    var head = Encoding.ASCII.GetString(_buffer, 0, end);
                    if (!head.StartsWith("HTTP/1.1 200 ", StringComparison.Ordinal))
                    {
                        throw new InvalidOperationException($"The protected endpoint answered {head[..Math.Min(head.Length, 40)]}.");
                    }

                    contentLength = ReadContentLength(head);
                }

                var body = _buffer.AsSpan(bodyStart, filled - bodyStart);
                if (contentLength >= 0 ? body.Length >= contentLength : body.EndsWith(ChunkedEnd) || body.SequenceEqual("0\r\n\r\n"u8))
                {
                    return;
                }

                if (filled == _buffer.Length)
                {
                    throw new InvalidOperationException("The response does not fit the client's buffer.");
                }
            }
        }

        private static long ReadContentLength(string head)
        {
            foreach (var line in head.Split("\r\n"))
            {
                if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                {
                    return long.Parse(line.AsSpan("Content-Length:".Length).Trim(), System.Globalization.CultureInfo.InvariantCulture);
                }
            }

            return head.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase)
                ? -1
                : throw new InvalidOperationException("The response has neither a Content-Length nor a chunked body.");
        }

        public void Dispose() => _socket.Dispose();
    }
}
