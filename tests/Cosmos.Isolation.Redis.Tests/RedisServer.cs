using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Garnet;

namespace Cosmos.Isolation.Redis.Tests;

/// <summary>A Redis-protocol server on a free 127.0.0.1 port, started by the tests themselves: Microsoft.Garnet in-process by
/// default, Debian's <c>redis-server</c> as a child process when <c>COSMOS_REDIS_SERVER=redis-server</c> (set by <c>.ci/run</c>).</summary>
/// <remarks>A missing <c>redis-server</c> fails the tests that asked for it; nothing is skipped silently.</remarks>
public sealed class RedisServer : IDisposable
{
    public const string ServerKindVariable = "COSMOS_REDIS_SERVER";

    private GarnetServer? _garnet;
    private Process? _process;

    public RedisServer()
    {
        Kind = Environment.GetEnvironmentVariable(ServerKindVariable) is { Length: > 0 } kind ? kind : "garnet";
        if (Kind is not ("garnet" or "redis-server"))
        {
            throw new InvalidOperationException($"{ServerKindVariable} must be 'garnet' or 'redis-server', not '{Kind}'.");
        }

        Port = FreePort();
        Start();
    }

    /// <summary><c>garnet</c> or <c>redis-server</c>.</summary>
    public string Kind { get; }

    public int Port { get; }

    /// <summary>The StackExchange.Redis configuration string; short timeouts so a stopped server is noticed quickly.</summary>
    public string Configuration => $"127.0.0.1:{Port},abortConnect=false,connectTimeout=500,syncTimeout=1000,asyncTimeout=1000,connectRetry=1";

    public bool IsRunning => _garnet is not null || _process is { HasExited: false };

    /// <summary>Starts the server on <see cref="Port"/> and waits until it accepts connections.</summary>
    public void Start()
    {
        if (IsRunning)
        {
            return;
        }

        if (Kind == "garnet")
        {
            var port = Port.ToString(CultureInfo.InvariantCulture);
            _garnet = new GarnetServer(["--port", port, "--bind", "127.0.0.1"]);
            _garnet.Start();
        }
        else
        {
            var start = new ProcessStartInfo("redis-server")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in new[] { "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", string.Empty, "--appendonly", "no", "--protected-mode", "no" })
            {
                start.ArgumentList.Add(arg);
            }

            _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
            _process.OutputDataReceived += (_, _) => { };
            _process.ErrorDataReceived += (_, _) => { };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        WaitUntilListening();
    }

    /// <summary>Stops the server abruptly (the process is killed; Garnet is disposed), keeping the port for <see cref="Start"/>.</summary>
    public void Stop()
    {
        _garnet?.Dispose();
        _garnet = null;
        if (_process is not null)
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }

            _process.Dispose();
            _process = null;
        }
    }

    public void Dispose() => Stop();

    private void WaitUntilListening()
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (deadline.Elapsed < TimeSpan.FromSeconds(20))
            {
                if (_process is { HasExited: true })
                {
                    throw new InvalidOperationException($"redis-server exited with code {_process.ExitCode} before listening on port {Port}.");
                }

                Thread.Sleep(50);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
