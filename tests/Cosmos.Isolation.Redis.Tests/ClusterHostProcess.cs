using System.Diagnostics;
using System.Globalization;

namespace Cosmos.Isolation.Redis.Tests;

/// <summary>One cluster instance in its own OS process (Cosmos.Isolation.Redis.TestHost), driven line by line over stdin/stdout.</summary>
public sealed class ClusterHostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private ClusterHostProcess(Process process, string instanceId)
    {
        _process = process;
        InstanceId = instanceId;
    }

    public string InstanceId { get; }

    public static async Task<ClusterHostProcess> StartAsync(RedisServer server, string instanceId, string cluster)
    {
        // The host is built beside this test project (same configuration), not copied into its output.
        var dll = Path.Combine(
            AppContext.BaseDirectory.Replace("Cosmos.Isolation.Redis.Tests", "Cosmos.Isolation.Redis.TestHost", StringComparison.Ordinal),
            "Cosmos.Isolation.Redis.TestHost.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException("The cluster test host was not built.", dll);
        }

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { dll, server.Configuration, instanceId, cluster })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The cluster test host did not start.");
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine($"[{instanceId}] {e.Data}");
            }
        };
        process.BeginErrorReadLine();
        var host = new ClusterHostProcess(process, instanceId);
        var ready = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal("ready", ready);
        return host;
    }

    public async Task<string> SendAsync(string command)
    {
        await _gate.WaitAsync();
        try
        {
            await _process.StandardInput.WriteLineAsync(command);
            await _process.StandardInput.FlushAsync();
            var answer = await _process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.NotNull(answer);
            Assert.False(answer.StartsWith("error", StringComparison.Ordinal), $"{InstanceId}: {command} → {answer}");
            return answer;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<HostState> StateAsync(string node)
    {
        var line = await SendAsync($"state {node}");
        var fields = line.Split(' ').Skip(1).Select(f => f.Split('=')).ToDictionary(f => f[0], f => f[1], StringComparer.Ordinal);
        return new HostState(
            bool.Parse(fields["isolated"]),
            Enum.Parse<IsolationLevel>(fields["level"]),
            bool.Parse(fields["cluster"]),
            bool.Parse(fields["stale"]),
            int.Parse(fields["live"], CultureInfo.InvariantCulture),
            long.Parse(fields["errors"], CultureInfo.InvariantCulture),
            long.Parse(fields["calls"], CultureInfo.InvariantCulture));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                await _process.StandardInput.WriteLineAsync("quit");
                await _process.StandardInput.FlushAsync();
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (Exception)
        {
            // Fall through to the kill below.
        }
        finally
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.Dispose();
            _gate.Dispose();
        }
    }
}

public sealed record HostState(bool Isolated, IsolationLevel Level, bool ClusterIsolated, bool Stale, int LiveInstances, long UnexpectedErrors, long Calls);
