using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Garnet;

namespace Cosmos.Benchmarks.Cluster;

/// <summary>A Garnet server on a free 127.0.0.1 port inside the benchmark process.</summary>
internal sealed class BenchmarkRedis : IDisposable
{
    private readonly GarnetServer _server;

    public BenchmarkRedis()
    {
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        _server = new GarnetServer(["--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1"]);
        _server.Start();
    }

    public int Port { get; }

    public string Configuration => $"127.0.0.1:{Port},abortConnect=false";

    public void Dispose() => _server.Dispose();
}
