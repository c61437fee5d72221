using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;
using Cosmos.Core.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cosmos.Core.Execution;

/// <summary>Runs a set of nodes concurrently with a bounded degree of parallelism, bypassing isolated nodes.</summary>
/// <remarks>
/// <para>At most <see cref="ParallelExecutorOptions.MaxDegreeOfParallelism"/> node bodies run at once. Right before a
/// node starts, the <see cref="INodeIsolationGate"/> is asked whether it is isolated; isolated nodes are recorded as
/// <see cref="NodeExecutionStatus.Isolated"/> and not run. Every node gets a result: a node that throws is
/// <see cref="NodeExecutionStatus.Failed"/> with its exception (none is lost, none stops the others).</para>
/// <para>Cancellation: the token is passed to every body; once it is canceled no further node starts (they are
/// <see cref="NodeExecutionStatus.Canceled"/>), a body that throws <see cref="OperationCanceledException"/> on it is
/// <see cref="NodeExecutionStatus.Canceled"/>, and the report is still returned after the running bodies finish.</para>
/// <para>Tracing: when the <c>Cosmos.Core</c> activity source is listened to, a run is a <c>cosmos.core.executor.run</c> span
/// with one child <c>cosmos.core.executor.node</c> span per node that starts (see <see cref="CoreTelemetry"/>).</para>
/// </remarks>
public sealed class ParallelNodeExecutor
{
    private readonly int _maxDegree;
    private readonly INodeIsolationGate? _gate;
    private readonly Counter<long>? _nodes;
    private readonly UpDownCounter<long>? _active;
    private readonly ILogger _logger;

    /// <summary>Creates an executor.</summary>
    /// <param name="options">The settings; the defaults (8 at a time) when <see langword="null"/>. Read once.</param>
    /// <param name="isolationGate">Decides which nodes are bypassed; none when <see langword="null"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="ParallelExecutorOptions.MaxDegreeOfParallelism"/> is less than 1.</exception>
    public ParallelNodeExecutor(ParallelExecutorOptions? options = null, INodeIsolationGate? isolationGate = null)
        : this(options, isolationGate, null, null)
    {
    }

    internal ParallelNodeExecutor(ParallelExecutorOptions? options, INodeIsolationGate? isolationGate, CoreInstrumentation? instrumentation, ILogger? logger)
    {
        options ??= new ParallelExecutorOptions();
        var validation = new ParallelExecutorOptionsValidator().Validate(nameof(ParallelExecutorOptions), options);
        if (validation.Failed)
        {
            throw new ArgumentOutOfRangeException(nameof(options), validation.FailureMessage);
        }

        _maxDegree = options.MaxDegreeOfParallelism;
        _gate = isolationGate;
        _logger = logger ?? NullLogger.Instance;
        if (instrumentation is not null)
        {
            _nodes = instrumentation.Meter.CreateCounter<long>(CoreTelemetry.ExecutorNodes, "{node}", "Nodes handled by the parallel executor, by outcome.");
            _active = instrumentation.Meter.CreateUpDownCounter<long>(CoreTelemetry.ExecutorActive, "{node}", "Node bodies currently running.");
        }
    }

    /// <summary>Gets the largest number of nodes that run at the same time.</summary>
    public int MaxDegreeOfParallelism => _maxDegree;

    /// <summary>Runs <paramref name="body"/> once for every node that is not isolated, at most <see cref="MaxDegreeOfParallelism"/> at a time.</summary>
    /// <param name="nodeIds">The nodes to run.</param>
    /// <param name="body">The work for one node.</param>
    /// <param name="cancellationToken">Stops new nodes from starting and is passed to every body.</param>
    /// <returns>One result per node, in input order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="nodeIds"/> or <paramref name="body"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A node id is <see langword="null"/> (the message names its index).</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The optional parameter is the trailing CancellationToken of the .NET async pattern; the overloads differ in their state parameter, so no call is ambiguous.")]
    public Task<ParallelExecutionReport> ExecuteAsync(IReadOnlyList<string> nodeIds, Func<string, CancellationToken, ValueTask> body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        return ExecuteAsync(nodeIds, body, static (id, b, ct) => b(id, ct), cancellationToken);
    }

    /// <summary>Runs <paramref name="body"/> once for every node that is not isolated, passing <paramref name="state"/> so the body need not capture variables.</summary>
    /// <typeparam name="TState">The state type.</typeparam>
    /// <param name="nodeIds">The nodes to run.</param>
    /// <param name="state">The state passed to every body.</param>
    /// <param name="body">The work for one node.</param>
    /// <param name="cancellationToken">Stops new nodes from starting and is passed to every body.</param>
    /// <returns>One result per node, in input order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="nodeIds"/> or <paramref name="body"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A node id is <see langword="null"/> (the message names its index).</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The optional parameter is the trailing CancellationToken of the .NET async pattern; the overloads differ in their state parameter, so no call is ambiguous.")]
    public async Task<ParallelExecutionReport> ExecuteAsync<TState>(IReadOnlyList<string> nodeIds, TState state, Func<string, TState, CancellationToken, ValueTask> body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(nodeIds);
        ArgumentNullException.ThrowIfNull(body);
        var ids = new string[nodeIds.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = nodeIds[i] ?? throw new ArgumentException($"{nameof(nodeIds)}[{i}] is null.", nameof(nodeIds));
        }

        // Started before the workers so that their node spans (Activity.Current flows into Task.Run) are its children.
        using var activity = CoreInstrumentation.ActivitySource.StartActivity(CoreTelemetry.ExecuteRunSpan);
        activity?.SetTag(CoreTelemetry.NodeCountTag, ids.Length);
        var run = new Run<TState>(this, ids, state, body, cancellationToken);
        var workers = new Task[System.Math.Min(_maxDegree, ids.Length)];
        for (var w = 0; w < workers.Length; w++)
        {
            workers[w] = Task.Run(run.WorkAsync, CancellationToken.None);
        }

        // Workers record every outcome themselves and never throw, so awaiting them loses nothing.
        await Task.WhenAll(workers).ConfigureAwait(false);
        var report = new ParallelExecutionReport(run.Results);
        if (report.Failed > 0)
        {
            activity?.SetStatus(ActivityStatusCode.Error, $"{report.Failed} of {ids.Length} nodes failed.");
        }

        return report;
    }

    private static string StatusTag(NodeExecutionStatus status) => status switch
    {
        NodeExecutionStatus.Succeeded => "succeeded",
        NodeExecutionStatus.Failed => "failed",
        NodeExecutionStatus.Isolated => "isolated",
        _ => "canceled",
    };

    private void Record(NodeExecutionStatus status)
    {
        if (_nodes is { Enabled: true })
        {
            _nodes.Add(1, new KeyValuePair<string, object?>(CoreTelemetry.ExecutorStatusTag, StatusTag(status)));
        }
    }

    private sealed class Run<TState>(ParallelNodeExecutor owner, string[] ids, TState state, Func<string, TState, CancellationToken, ValueTask> body, CancellationToken cancellationToken)
    {
        private int _next = -1;

        public NodeExecutionResult[] Results { get; } = new NodeExecutionResult[ids.Length];

        public async Task WorkAsync()
        {
            int i;
            while ((i = Interlocked.Increment(ref _next)) < ids.Length)
            {
                var id = ids[i];
                var status = NodeExecutionStatus.Succeeded;
                Exception? error = null;
                if (cancellationToken.IsCancellationRequested)
                {
                    status = NodeExecutionStatus.Canceled;
                }
                else
                {
                    var running = false;
                    Activity? activity = null;
                    try
                    {
                        if (owner._gate?.IsIsolated(id) == true)
                        {
                            status = NodeExecutionStatus.Isolated;
                            Log.NodeBypassed(owner._logger, id);
                        }
                        else
                        {
                            running = true;
                            owner._active?.Add(1);
                            activity = CoreInstrumentation.ActivitySource.StartActivity(CoreTelemetry.ExecuteNodeSpan);
                            activity?.SetTag(CoreTelemetry.NodeIdTag, id);
                            await body(id, state, cancellationToken).ConfigureAwait(false);
                        }
                    }
                    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                    {
                        status = NodeExecutionStatus.Canceled;
                    }
#pragma warning disable CA1031 // A node's failure of any type is recorded for the caller, never swallowed or allowed to stop the others.
                    catch (Exception ex)
#pragma warning restore CA1031
                    {
                        status = NodeExecutionStatus.Failed;
                        error = ex;
                        Log.NodeFailed(owner._logger, id, ex);
                    }
                    finally
                    {
                        if (running)
                        {
                            owner._active?.Add(-1);
                        }

                        if (activity is not null)
                        {
                            activity.SetTag(CoreTelemetry.ExecutorStatusTag, StatusTag(status));
                            if (error is not null)
                            {
                                activity.SetStatus(ActivityStatusCode.Error, error.Message);
                            }

                            // Stop here, on the worker, so the next node's span does not become this one's child.
                            activity.Dispose();
                        }
                    }
                }

                Results[i] = new NodeExecutionResult(id, status, error);
                owner.Record(status);
            }
        }
    }
}
