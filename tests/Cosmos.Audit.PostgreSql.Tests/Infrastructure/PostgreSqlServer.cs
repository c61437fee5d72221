using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Cosmos.Audit.PostgreSql.Tests.Infrastructure;

/// <summary>A throwaway PostgreSQL server from the machine's binaries, on a free 127.0.0.1 port, in a temp directory it deletes.</summary>
/// <remarks>
/// initdb and postgres refuse to run as root, so under root both run as <c>nobody</c> through <c>setpriv</c> in a directory that
/// user owns. Missing binaries fail the fixture with the install command; the tests never skip.
/// </remarks>
public sealed class PostgreSqlServer : IAsyncDisposable
{
    internal const string InstallHint =
        "PostgreSQL server binaries (initdb, postgres) were not found under /usr/lib/postgresql/*/bin or on PATH. "
        + "Install them, e.g. on Debian/Ubuntu: 'apt-get update && apt-get install -y postgresql' (the CI script does this), "
        + "or set COSMOS_PG_BIN to the directory holding initdb and postgres.";

    private readonly string _bin;
    private readonly string _root;
    private readonly bool _durable;
    private Process? _postgres;

    private PostgreSqlServer(string bin, string root, int port, bool durable)
    {
        _bin = bin;
        _root = root;
        _durable = durable;
        Port = port;
    }

    /// <summary>The port the server listens on (127.0.0.1 only).</summary>
    public int Port { get; }

    /// <summary>A connection string for the superuser <c>postgres</c> on database <c>postgres</c>.</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Database = "postgres",
        Pooling = true,
        MaxPoolSize = 50,
        Timeout = 5,
    }.ConnectionString;

    private string DataDirectory => Path.Combine(_root, "data");

    private static bool IsRoot => Environment.UserName == "root";

    /// <summary>Creates the cluster and starts the server.</summary>
    /// <param name="durable">When <see langword="false"/> (tests), fsync is off to spare the shared disk; benchmarks keep it on.</param>
    /// <param name="binaryDirectories">Where to look for initdb and postgres; the machine's usual places when <see langword="null"/>.</param>
    public static async Task<PostgreSqlServer> StartAsync(bool durable = false, IReadOnlyList<string>? binaryDirectories = null)
    {
        var bin = (binaryDirectories ?? CandidateDirectories()).FirstOrDefault(HasBinaries) ?? throw new InvalidOperationException(InstallHint);
        var root = Directory.CreateTempSubdirectory("cosmos-pg-").FullName;
        var server = new PostgreSqlServer(bin, root, FreePort(), durable);
        try
        {
            if (IsRoot)
            {
                await RunAsync("chown", ["-R", "nobody:nogroup", root], asServiceUser: false).ConfigureAwait(false);
            }

            await server.RunToolAsync("initdb", ["-D", server.DataDirectory, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"])
                .ConfigureAwait(false);
            await server.StartServerAsync().ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Starts the server again on the same data directory and port (after <see cref="StopAsync"/>).</summary>
    public async Task StartServerAsync()
    {
        if (_postgres is { HasExited: false })
        {
            return;
        }

        string[] args =
        [
            "-D", DataDirectory, "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-c", "listen_addresses=127.0.0.1", "-c", $"unix_socket_directories={_root}",
            "-c", "max_connections=200", "-c", "shared_buffers=64MB",
            "-c", $"fsync={(_durable ? "on" : "off")}", "-c", "full_page_writes=off",
        ];
        _postgres = Start(Path.Combine(_bin, "postgres"), args, asServiceUser: IsRoot);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString + ";Pooling=false");
                await connection.OpenAsync().ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or SocketException && deadline.Elapsed < TimeSpan.FromSeconds(60))
            {
                if (_postgres.HasExited)
                {
                    throw new InvalidOperationException($"postgres exited with code {_postgres.ExitCode} while starting.", ex);
                }

                await Task.Delay(100).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Stops the server (fast shutdown: open connections are terminated), keeping its data.</summary>
    public async Task StopAsync()
    {
        if (_postgres is not { HasExited: false } postgres)
        {
            return;
        }

        // SIGINT is PostgreSQL's "fast" shutdown: it ends sessions, checkpoints and exits cleanly.
        await RunAsync("kill", ["-INT", postgres.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], asServiceUser: false).ConfigureAwait(false);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await postgres.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            postgres.Kill(entireProcessTree: true);
        }

        postgres.Dispose();
        _postgres = null;
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>Creates a fresh database and returns its connection string, so test classes do not see each other's rows.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a dying backend: the temp directory is cleaned by the OS eventually.
        }
    }

    private static List<string> CandidateDirectories()
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("COSMOS_PG_BIN") is { Length: > 0 } configured)
        {
            candidates.Add(configured);
        }

        if (Directory.Exists("/usr/lib/postgresql"))
        {
            // Highest major version first.
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
                .Select(d => Path.Combine(d, "bin")));
        }

        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries));
        return candidates;
    }

    private static bool HasBinaries(string directory) =>
        File.Exists(Path.Combine(directory, "initdb")) && File.Exists(Path.Combine(directory, "postgres"));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private Task RunToolAsync(string tool, string[] args) => RunAsync(Path.Combine(_bin, tool), args, asServiceUser: IsRoot);

    private static async Task RunAsync(string file, string[] args, bool asServiceUser)
    {
        using var process = Start(file, args, asServiceUser);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} failed with exit code {process.ExitCode}: {await error.ConfigureAwait(false)} {await output.ConfigureAwait(false)}");
        }
    }

    private static Process Start(string file, string[] args, bool asServiceUser)
    {
        var info = new ProcessStartInfo
        {
            FileName = asServiceUser ? "setpriv" : file,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asServiceUser)
        {
            // setpriv replaces itself with the tool, so the process id we hold is the server's own.
            foreach (var a in (string[])["--reuid=nobody", "--regid=nogroup", "--clear-groups", "--", file])
            {
                info.ArgumentList.Add(a);
            }
        }

        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}.");
        if (file.EndsWith("postgres", StringComparison.Ordinal))
        {
            // The server logs to stderr; drain it so a full pipe never blocks it.
            process.OutputDataReceived += static (_, _) => { };
            process.ErrorDataReceived += static (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        return process;
    }
}
