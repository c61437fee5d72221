using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cosmos.Audit.Log.Internal;

/// <summary>Replays the dead-letter queue into the sink on a <see cref="TimeProvider"/> timer while the host runs.</summary>
internal sealed class AuditDeadLetterReplayService : IHostedService, IDisposable
{
    private readonly AuditPublisher _publisher;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _interval;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private ITimer? _timer;
    private int _busy;

    public AuditDeadLetterReplayService(AuditPublisher publisher, IOptions<CosmosAuditOptions> options, TimeProvider timeProvider, ILogger<AuditDeadLetterReplayService>? logger = null)
    {
        _publisher = publisher;
        _timeProvider = timeProvider;
        _interval = options.Value.AuditLog.DeadLetterReplayInterval;
        _logger = logger ?? (ILogger)Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
    }

    /// <summary>The most recent background replay (completed when none ran); lets tests and shutdown wait for it.</summary>
    internal Task LastReplay { get; private set; } = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // The file log opens in the background; a log held by another writer or broken must stop the host from starting,
        // not surface later as every event going to the dead-letter queue.
        if (_publisher.Sink is AuditLogFile file)
        {
            await file.WhenOpenAsync(cancellationToken).ConfigureAwait(false);
        }

        if (_interval != Timeout.InfiniteTimeSpan)
        {
            _timer = _timeProvider.CreateTimer(static state => ((AuditDeadLetterReplayService)state!).OnTick(), this, _interval, _interval);
        }
    }

    private void OnTick()
    {
        // Ticks that arrive while a replay runs are skipped rather than queued: the running replay covers them.
        if (_stopping.IsCancellationRequested || _publisher.DeadLetters.Count == 0 || Interlocked.Exchange(ref _busy, 1) != 0)
        {
            return;
        }

        LastReplay = ReplayAsync();
    }

    private async Task ReplayAsync()
    {
        try
        {
            await _publisher.ReplayDeadLettersAsync(_stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Shutting down: what was not replayed stays queued.
        }
        catch (Exception ex)
        {
            // A timer callback has no caller to throw to: report and try again at the next tick.
            AuditLogMessages.BackgroundReplayFailed(_logger, ex);
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        await _stopping.CancelAsync().ConfigureAwait(false);
        await LastReplay.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        _timer?.Dispose();
        _stopping.Dispose();
    }
}
