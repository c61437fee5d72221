using System.Diagnostics;

namespace Cosmos.Audit.PostgreSql.Tests.Infrastructure;

/// <summary>One separate OS process of Cosmos.Audit.PostgreSql.TestHost appending audit events; collects the ids it acknowledged.</summary>
public sealed class HostProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<Guid> _acknowledged = [];
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Text.StringBuilder _errors = new();

    private HostProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _exited.TrySetResult();
            }
            else if (e.Data.StartsWith("ack ", StringComparison.Ordinal))
            {
                lock (_acknowledged)
                {
                    _acknowledged.Add(Guid.Parse(e.Data.AsSpan(4, 36)));
                }
            }
            else if (e.Data == "done")
            {
                Completed = true;
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (_errors)
            {
                _errors.AppendLine(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public bool Completed { get; private set; }

    public int AcknowledgedCount
    {
        get
        {
            lock (_acknowledged)
            {
                return _acknowledged.Count;
            }
        }
    }

    public IReadOnlyList<Guid> Acknowledged
    {
        get
        {
            lock (_acknowledged)
            {
                return [.. _acknowledged];
            }
        }
    }

    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString();
            }
        }
    }

    public static HostProcess Start(string connectionString, string name, int count, int concurrency)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])[HostAssembly(), connectionString, name, count.ToString(System.Globalization.CultureInfo.InvariantCulture), concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            info.ArgumentList.Add(arg);
        }

        return new HostProcess(Process.Start(info) ?? throw new InvalidOperationException("Could not start the test host."));
    }

    /// <summary>SIGKILL: no cleanup, no flush; whatever transaction the host had open is cut off.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public async Task WaitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        await _exited.Task.WaitAsync(cts.Token);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private static string HostAssembly()
    {
        // tests/Cosmos.Audit.PostgreSql.Tests/bin/<configuration>/<tfm>/ -> tests/Cosmos.Audit.PostgreSql.TestHost/bin/<configuration>/<tfm>/
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var tfm = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        var testsDirectory = testOutput.Parent.Parent!.Parent!.Parent!.FullName;
        var path = Path.Combine(testsDirectory, "Cosmos.Audit.PostgreSql.TestHost", "bin", configuration, tfm, "Cosmos.Audit.PostgreSql.TestHost.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"The test host was not built at {path}; build the test project first.", path);
    }
}
