using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Cosmos.Isolation.Internal;
using Cosmos.Isolation.Redis.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Cosmos.Isolation.Redis.Internal;

/// <summary>The cluster view of one instance: publishes its own decisions, keeps its peers' reports, applies the quorum rule
/// and the operator log to the local engine.</summary>
/// <remarks>
/// <para>Data moves in one direction per path. Out: the engine's state changes wake the heartbeat loop, which stores this
/// instance's report under a key that expires after the peer timeout and publishes it on the cluster channel; operator actions
/// taken here are appended to the operator log. In: reports arrive on the channel (or from the periodic re-read of every
/// stored report, which is also how a late joiner or a reconnected instance resyncs) and operator actions from the log.
/// Every arrival re-runs <see cref="QuorumRule"/> and hands the result to the engine as imposed isolations.</para>
/// <para>The call path never sees any of this: the engine's verdicts are plain memory, and all Redis I/O runs on the loop
/// with a timeout. When Redis does not answer for the peer timeout the view is stale: imposed isolations are dropped and
/// the instance decides from its own evidence until Redis answers again.</para>
/// </remarks>
internal sealed partial class RedisIsolationCluster : IClusterIsolationView, IHostedService, IAsyncDisposable, IDisposable
{
    private readonly Lock _lock = new();
    private readonly Lock _imposeGate = new();
    private readonly IsolationClusterPort _port;
    private readonly Func<CancellationToken, Task<IConnectionMultiplexer>> _connect;
    private readonly bool _ownsConnection;
    private readonly RedisIsolationClusterOptions _options;
    private readonly ClusterKeys _keys;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IsolationRedisInstruments _instruments;
    private readonly Dictionary<string, Peer> _peers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _releasedAt = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (IsolationLevel Level, DateTimeOffset Since)> _since = new(StringComparer.Ordinal);
    private readonly Channel<WireOperatorAction> _outgoing = Channel.CreateUnbounded<WireOperatorAction>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly List<OwnNodeDecision> _ownBuffer = [];
    private readonly Dictionary<string, int> _votes = new(StringComparer.Ordinal);
    private HashSet<string> _imposed = new(StringComparer.Ordinal);
    private long _releasedAllAt;
    private long _applied;
    private long _lastContact;
    private bool _everConnected;
    private bool _reportedStale;
    private WireReport? _ownReport;
    private IConnectionMultiplexer? _connection;
    private ChannelMessageQueue? _subscription;
    private CancellationTokenSource? _stopping;
    private Task? _loop;
    private ITimer? _evaluationTimer;
    private bool _disposed;

    public RedisIsolationCluster(
        IsolationClusterPort port,
        RedisIsolationClusterOptions options,
        Func<CancellationToken, Task<IConnectionMultiplexer>> connect,
        bool ownsConnection,
        ILogger logger,
        IMeterFactory? meterFactory)
    {
        _port = port;
        _options = options;
        _connect = connect;
        _ownsConnection = ownsConnection;
        _time = port.TimeProvider;
        _logger = logger;
        InstanceId = options.InstanceId ?? $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";
        _keys = new ClusterKeys(options.KeyPrefix, options.ClusterName);
        _instruments = new IsolationRedisInstruments(meterFactory, () => IsStale, () => LiveInstanceCount(), () => Volatile.Read(ref _imposed).Count);
        _port.Engine.StateChanged += OnLocalStateChanged;
    }

    public string InstanceId { get; }

    public bool IsStale
    {
        get
        {
            var last = Volatile.Read(ref _lastContact);
            return last == 0 || _time.GetElapsedTime(last) > _options.PeerTimeout;
        }
    }

    /// <summary>Starts the heartbeat loop; returns at once, Redis is reached in the background.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_loop is not null)
        {
            return Task.CompletedTask;
        }

        _stopping = new CancellationTokenSource();
        _evaluationTimer = _time.CreateTimer(static state => ((RedisIsolationCluster)state!).Evaluate(), this, _options.HeartbeatInterval, _options.HeartbeatInterval);
        _loop = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_loop is null || _stopping is null)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        _loop = null;
        if (_evaluationTimer is not null)
        {
            await _evaluationTimer.DisposeAsync().ConfigureAwait(false);
        }

        // Leave the cluster cleanly: peers stop counting this instance at once instead of after the peer timeout.
        if (_connection is { IsConnected: true } connection)
        {
            try
            {
                var db = connection.GetDatabase();
                await Task.WhenAll(
                    db.KeyDeleteAsync(_keys.Report(InstanceId)),
                    db.SetRemoveAsync(_keys.Instances, InstanceId)).WaitAsync(_options.PeerTimeout, _time, cancellationToken).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Leaving is best effort: the report expires on its own.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.RedisOperationFailed(_logger, "leave", ex);
            }
        }

        _port.Impose([]);
    }

    /// <summary>For containers disposed synchronously: stops the loop and closes an owned connection.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _port.Engine.StateChanged -= OnLocalStateChanged;
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        if (_subscription is not null)
        {
            await _subscription.UnsubscribeAsync().ConfigureAwait(false);
        }

        if (_ownsConnection && _connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }

        _stopping?.Dispose();
        _wake.Dispose();
        _instruments.Dispose();
    }

    /// <summary>Queues an operator action taken on this instance (already applied here) for the operator log.</summary>
    public void Publish(string action, string? nodeId, IsolationScope scope)
    {
        lock (_lock)
        {
            // Until the action has its sequence number, no vote may undo a release taken here.
            if (action == OperatorActions.Release && nodeId is not null)
            {
                _releasedAt[nodeId] = long.MaxValue;
            }
            else if (action == OperatorActions.ReleaseAll)
            {
                _releasedAllAt = long.MaxValue;
            }
        }

        _outgoing.Writer.TryWrite(new WireOperatorAction(InstanceId, Guid.NewGuid().ToString("N"), action, nodeId, scope));
        _instruments.OperatorAction(action, local: true);
        Evaluate();
        Wake();
    }

    public ClusterIsolationSnapshot GetSnapshot()
    {
        var now = _time.GetUtcNow();
        var stale = IsStale;
        var last = Volatile.Read(ref _lastContact);
        DateTimeOffset? lastContact = last == 0 ? null : now - _time.GetElapsedTime(last);
        var instances = new List<ClusterInstanceReport>();
        int required;
        lock (_lock)
        {
            var own = _ownReport ?? BuildOwnReport();
            instances.Add(ToPublic(own));
            foreach (var peer in LivePeers())
            {
                instances.Add(ToPublic(peer.Report));
            }

            required = QuorumRule.Required(stale ? 1 : instances.Count, _options.Quorum);
        }

        var imposed = Volatile.Read(ref _imposed);
        return new ClusterIsolationSnapshot(now, InstanceId, stale, lastContact, required, instances, [.. imposed.Order(StringComparer.Ordinal)], _port.Engine.GetSnapshot());
    }

    private static ClusterInstanceReport ToPublic(WireReport report)
        => new(report.Instance, DateTimeOffset.FromUnixTimeMilliseconds(report.Time), report.Ops,
            [.. report.Nodes.Select(n => new ClusterNodeReport(n.Node, n.Level, n.Health, DateTimeOffset.FromUnixTimeMilliseconds(n.Since), n.Manual))]);

    private int LiveInstanceCount()
    {
        if (IsStale)
        {
            return 0;
        }

        lock (_lock)
        {
            return 1 + LivePeers().Count();
        }
    }

    private IEnumerable<Peer> LivePeers()
    {
        foreach (var peer in _peers.Values)
        {
            if (_time.GetElapsedTime(peer.SeenAt) <= _options.PeerTimeout)
            {
                yield return peer;
            }
        }
    }

    private void OnLocalStateChanged(object? sender, NodeStateChangedEventArgs e) => Wake();

    private void Wake()
    {
        try
        {
            if (_wake.CurrentCount == 0)
            {
                _wake.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Already woken.
        }
        catch (ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private sealed record Peer(WireReport Report, long SeenAt);
}
