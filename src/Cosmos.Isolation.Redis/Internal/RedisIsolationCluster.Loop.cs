using Cosmos.Isolation.Internal;
using Cosmos.Isolation.Redis.Telemetry;
using StackExchange.Redis;

namespace Cosmos.Isolation.Redis.Internal;

// The heartbeat loop: connect → subscribe → flush operator actions → store and publish the own report → re-read every
// report and the operator log → evaluate; then wait for the next beat or for a local change.
internal sealed partial class RedisIsolationCluster
{
    private async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            var started = _time.GetTimestamp();
            try
            {
                await BeatAsync(stopping).ConfigureAwait(false);
                MarkContact();
                _instruments.Heartbeat(_time.GetElapsedTime(started));
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // Redis failures never leave the loop: the view goes stale and the next beat retries.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _instruments.Error("heartbeat");
                Log.RedisOperationFailed(_logger, "heartbeat", ex);
            }

            Evaluate();
            try
            {
                await _wake.WaitAsync(_options.HeartbeatInterval, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>One beat. Each Redis step is bounded by the peer timeout so a hung server delays only this loop.</summary>
    private async Task BeatAsync(CancellationToken stopping)
    {
        using var activity = IsolationRedisInstruments.StartHeartbeat();
        var timeout = _options.PeerTimeout;
        if (_connection is null)
        {
            _connection = await _connect(stopping).WaitAsync(timeout, _time, stopping).ConfigureAwait(false);
        }

        var connection = _connection;
        if (_subscription is null)
        {
            var channel = RedisChannel.Literal(_keys.Channel);
            _subscription = await connection.GetSubscriber().SubscribeAsync(channel).WaitAsync(timeout, _time, stopping).ConfigureAwait(false);
            _subscription.OnMessage(OnMessage);
            Log.ClusterJoined(_logger, InstanceId, _options.ClusterName);
        }

        var db = connection.GetDatabase();
        await FlushOperatorActionsAsync(db, timeout, stopping).ConfigureAwait(false);

        WireReport own;
        lock (_lock)
        {
            own = BuildOwnReport();
            _ownReport = own;
        }

        var json = ClusterKeys.Serialize(own);
        var message = new byte[json.Length + 1];
        message[0] = (byte)'r';
        json.CopyTo(message, 1);
        await Task.WhenAll(
            db.StringSetAsync(_keys.Report(InstanceId), json, _options.PeerTimeout),
            db.SetAddAsync(_keys.Instances, InstanceId),
            connection.GetSubscriber().PublishAsync(RedisChannel.Literal(_keys.Channel), message)).WaitAsync(timeout, _time, stopping).ConfigureAwait(false);

        await ReadReportsAsync(db, timeout, stopping).ConfigureAwait(false);
        await CatchUpOperatorLogAsync(db, timeout, stopping).ConfigureAwait(false);
    }

    /// <summary>Re-reads every stored report: the snapshot a late joiner or a reconnected instance resyncs from. Members whose
    /// report expired have left (or died) and are dropped from the set.</summary>
    private async Task ReadReportsAsync(IDatabase db, TimeSpan timeout, CancellationToken stopping)
    {
        var members = await db.SetMembersAsync(_keys.Instances).WaitAsync(timeout, _time, stopping).ConfigureAwait(false);
        var others = members.Select(m => (string)m!).Where(m => m != InstanceId).ToArray();
        if (others.Length == 0)
        {
            return;
        }

        var values = await db.StringGetAsync([.. others.Select(m => (RedisKey)_keys.Report(m))]).WaitAsync(timeout, _time, stopping).ConfigureAwait(false);
        var now = _time.GetTimestamp();
        var gone = new List<RedisValue>();
        lock (_lock)
        {
            for (var i = 0; i < others.Length; i++)
            {
                if (values[i].IsNull)
                {
                    _peers.Remove(others[i]);
                    gone.Add(others[i]);
                    continue;
                }

                if (TryRead(((ReadOnlyMemory<byte>)values[i]).Span) is { } report && report.Instance == others[i])
                {
                    _peers[report.Instance] = new Peer(report, now);
                }
            }
        }

        if (gone.Count > 0)
        {
            await db.SetRemoveAsync(_keys.Instances, [.. gone]).WaitAsync(timeout, _time, stopping).ConfigureAwait(false);
        }
    }

    private async Task FlushOperatorActionsAsync(IDatabase db, TimeSpan timeout, CancellationToken stopping)
    {
        while (_outgoing.Reader.TryPeek(out var action))
        {
            // The list position RPUSH returns is the action's sequence number: one atomic step orders actions from every instance.
            var sequence = await db.ListRightPushAsync(_keys.OperatorLog, ClusterKeys.Serialize(action)).WaitAsync(timeout, _time, stopping).ConfigureAwait(false);
            _outgoing.Reader.TryRead(out _);
            lock (_lock)
            {
                RecordRelease(action, sequence);
            }

            Log.OperatorActionPublished(_logger, action.Action, action.Node, sequence);
            await _connection!.GetSubscriber().PublishAsync(RedisChannel.Literal(_keys.Channel), "o"u8.ToArray()).WaitAsync(timeout, _time, stopping).ConfigureAwait(false);
        }
    }

    /// <summary>Applies, in log order, the operator actions this instance has not applied yet (its own are already applied).</summary>
    private async Task CatchUpOperatorLogAsync(IDatabase db, TimeSpan timeout, CancellationToken stopping)
    {
        var length = await db.ListLengthAsync(_keys.OperatorLog).WaitAsync(timeout, _time, stopping).ConfigureAwait(false);
        var applied = Volatile.Read(ref _applied);
        if (length < applied)
        {
            // Redis lost its data (restart without persistence): follow the new log from its start.
            Log.OperatorLogReset(_logger, applied);
            lock (_lock)
            {
                _releasedAt.Clear();
                _releasedAllAt = 0;
            }

            Volatile.Write(ref _applied, 0);
            applied = 0;
        }

        if (length == applied)
        {
            return;
        }

        var entries = await db.ListRangeAsync(_keys.OperatorLog, applied, length - 1).WaitAsync(timeout, _time, stopping).ConfigureAwait(false);
        foreach (var entry in entries)
        {
            applied++;
            WireOperatorAction? action = null;
            try
            {
                action = ClusterKeys.DeserializeAction(((ReadOnlyMemory<byte>)entry).Span);
            }
            catch (System.Text.Json.JsonException ex)
            {
                Log.MessageIgnored(_logger, ex);
            }

            if (action is not null)
            {
                lock (_lock)
                {
                    RecordRelease(action, applied);
                }

                if (action.Origin != InstanceId)
                {
                    await ApplyAsync(action, applied, stopping).ConfigureAwait(false);
                }
            }

            Volatile.Write(ref _applied, applied);
        }

        Wake();
    }

    private void RecordRelease(WireOperatorAction action, long sequence)
    {
        if (action.Action == OperatorActions.Release && action.Node is not null)
        {
            _releasedAt[action.Node] = sequence;
        }
        else if (action.Action == OperatorActions.ReleaseAll)
        {
            _releasedAllAt = sequence;
        }
    }

    /// <summary>Applies a peer's operator action to the local engine directly, so it is not published again.</summary>
    private async Task ApplyAsync(WireOperatorAction action, long sequence, CancellationToken stopping)
    {
        using var activity = IsolationRedisInstruments.StartOperator(action.Action, action.Node);
        var engine = _port.Engine;
        try
        {
            switch (action.Action)
            {
                case OperatorActions.Isolate when action.Node is not null:
                    await engine.IsolateAsync(action.Node, action.Scope, stopping).ConfigureAwait(false);
                    break;
                case OperatorActions.Release when action.Node is not null:
                    await engine.ReleaseAsync(action.Node, action.Scope, stopping).ConfigureAwait(false);
                    break;
                case OperatorActions.IsolateAll:
                    await engine.IsolateAllAsync(stopping).ConfigureAwait(false);
                    break;
                case OperatorActions.ReleaseAll:
                    await engine.ReleaseAllAsync(stopping).ConfigureAwait(false);
                    break;
                default:
                    Log.OperatorActionSkipped(_logger, action.Action, action.Node);
                    return;
            }
        }
        catch (KeyNotFoundException)
        {
            Log.OperatorActionSkipped(_logger, action.Action, action.Node);
            return;
        }

        _instruments.OperatorAction(action.Action, local: false);
        Log.OperatorActionApplied(_logger, action.Action, action.Node, action.Origin, sequence);
    }

    /// <summary>A message on the cluster channel: a peer's report (applied at once, which is what makes propagation fast) or a
    /// notice that the operator log grew (the loop catches up).</summary>
    private void OnMessage(ChannelMessage message)
    {
        ReadOnlyMemory<byte> body = message.Message;
        if (body.IsEmpty)
        {
            return;
        }

        if (body.Span[0] == (byte)'o')
        {
            Wake();
            return;
        }

        if (body.Span[0] != (byte)'r' || TryRead(body.Span[1..]) is not { } report || report.Instance == InstanceId)
        {
            return;
        }

        MarkContact();
        lock (_lock)
        {
            _peers[report.Instance] = new Peer(report, _time.GetTimestamp());
        }

        Evaluate();
    }

    private WireReport? TryRead(ReadOnlySpan<byte> json)
    {
        try
        {
            return ClusterKeys.DeserializeReport(json);
        }
        catch (System.Text.Json.JsonException ex)
        {
            Log.MessageIgnored(_logger, ex);
            return null;
        }
    }

    private void MarkContact()
    {
        var wasStale = _reportedStale;
        Volatile.Write(ref _lastContact, _time.GetTimestamp());
        _everConnected = true;
        if (wasStale)
        {
            _reportedStale = false;
            Log.ClusterViewRestored(_logger, LiveInstanceCount());
        }
    }

    /// <summary>Re-runs the quorum rule over the live reports and hands the result to the engine. Runs on every report that
    /// arrives and on a timer, so staleness is noticed even while the loop waits on a hung Redis.</summary>
    private void Evaluate()
    {
        // The gate orders evaluations end to end, so the engine receives the sets in the order they were computed; the view's
        // lock is released before the engine raises its events, so host handlers never run under it.
        lock (_imposeGate)
        {
            var isolated = ComputeImposed();
            if (isolated is not null)
            {
                _port.Impose(isolated);
            }
        }
    }

    /// <summary>Runs the quorum rule; returns the new imposed set, or <see langword="null"/> when it did not change.</summary>
    private HashSet<string>? ComputeImposed()
    {
        HashSet<string> isolated;
        var stale = IsStale;
        lock (_lock)
        {
            if (stale && _everConnected && !_reportedStale)
            {
                _reportedStale = true;
                Log.ClusterViewStale(_logger, _time.GetElapsedTime(Volatile.Read(ref _lastContact)));
            }

            isolated = new HashSet<string>(StringComparer.Ordinal);
            if (!stale)
            {
                var own = BuildOwnReport();
                _ownReport = own;
                var live = LivePeers().Select(p => new InstanceVotes(p.Report.Ops, p.Report.Nodes)).Prepend(new InstanceVotes(own.Ops, own.Nodes)).ToList();
                var required = QuorumRule.Required(live.Count, _options.Quorum);
                QuorumRule.Decide(live, required, _releasedAt, _releasedAllAt, _votes, isolated);
                foreach (var node in isolated)
                {
                    if (!_imposed.Contains(node))
                    {
                        Log.ClusterIsolationImposed(_logger, node, _votes[node], live.Count, required);
                    }
                }
            }

            foreach (var node in _imposed)
            {
                if (!isolated.Contains(node))
                {
                    Log.ClusterIsolationLifted(_logger, node);
                }
            }

            if (_imposed.SetEquals(isolated))
            {
                return null;
            }

            Volatile.Write(ref _imposed, isolated);
            return isolated;
        }
    }

    /// <summary>This instance's own decisions as a report. Called under <see cref="_lock"/>.</summary>
    private WireReport BuildOwnReport()
    {
        var now = _time.GetUtcNow();
        _ownBuffer.Clear();
        _port.ReadOwnDecisions(_ownBuffer);
        var nodes = new WireNode[_ownBuffer.Count];
        for (var i = 0; i < nodes.Length; i++)
        {
            var d = _ownBuffer[i];
            if (!_since.TryGetValue(d.NodeId, out var since) || since.Level != d.Level)
            {
                since = (d.Level, now);
                _since[d.NodeId] = since;
            }

            nodes[i] = new WireNode(d.NodeId, d.Level, d.Health, since.Since.ToUnixTimeMilliseconds(), d.Manual);
        }

        return new WireReport(InstanceId, now.ToUnixTimeMilliseconds(), Volatile.Read(ref _applied), nodes);
    }
}
