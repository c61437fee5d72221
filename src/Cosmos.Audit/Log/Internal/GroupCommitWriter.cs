using System.Buffers;
using System.Threading.Channels;

namespace Cosmos.Audit.Log.Internal;

/// <summary>One queued append: the serialized payload, and the task its appender awaits until the batch is durable.</summary>
internal sealed class GroupCommitEntry : TaskCompletionSource<long>
{
    // Continuations run synchronously, but only ever on a pool thread that completes a whole batch (never the writer loop).
    public GroupCommitEntry(Guid key, byte[] payload, int length)
        : base(TaskCreationOptions.None)
    {
        Key = key;
        Payload = payload;
        Length = length;
    }

    /// <summary>The event id, used to skip duplicates.</summary>
    public Guid Key { get; }

    /// <summary>A pooled buffer; the writer returns it to the pool once framed.</summary>
    public byte[]? Payload { get; private set; }

    public int Length { get; }

    /// <summary>The position reported to the appender (a sequence number for the log).</summary>
    public long Position { get; set; }

    public void ReturnPayload()
    {
        var payload = Payload;
        Payload = null;
        if (payload is not null)
        {
            ArrayPool<byte>.Shared.Return(payload);
        }
    }
}

/// <summary>Turns queued entries into the bytes of one batch and learns whether the batch became durable.</summary>
internal interface IGroupCommitFramer
{
    /// <summary>Appends the entry's record to <paramref name="output"/> (or nothing, for a duplicate) and sets its position.</summary>
    void Frame(GroupCommitEntry entry, IBufferWriter<byte> output);

    /// <summary>The batch is on disk: make its tentative state permanent.</summary>
    void Commit(IReadOnlyList<GroupCommitEntry> batch);

    /// <summary>The batch failed and was cut from the file: forget its tentative state.</summary>
    void Abort();
}

/// <summary>
/// Group commit: a single writer loop drains the queue into batches and issues one write plus one
/// <see cref="FileStream.Flush(bool)"/> per batch; every appender's task completes only when its batch is durable.
/// Batches form while the previous flush is in progress, and the writer keeps gathering while appends arrive less than
/// <c>gatherWindow</c> apart, so a burst of concurrent appends becomes one batch instead of a small one plus the rest.
/// </summary>
internal sealed class GroupCommitWriter : IAsyncDisposable
{
    private readonly FileStream _stream;
    private readonly IGroupCommitFramer _framer;
    private readonly int _maxBatchSize;
    private readonly bool _flushToDisk;
    private readonly long _gatherTicks;
    private readonly Channel<GroupCommitEntry> _queue;
    private readonly Task _loop;
    private long _committedLength;
    private Exception? _fault;
    private long _batchCount;

    public GroupCommitWriter(FileStream stream, IGroupCommitFramer framer, int maxBatchSize, bool flushToDisk, TimeSpan gatherWindow)
    {
        _gatherTicks = (long)(gatherWindow.TotalSeconds * TimeProvider.System.TimestampFrequency);
        _stream = stream;
        _framer = framer;
        _maxBatchSize = maxBatchSize;
        _flushToDisk = flushToDisk;
        _committedLength = stream.Length;
        _stream.Position = _committedLength;
        _queue = Channel.CreateUnbounded<GroupCommitEntry>(new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Bytes known to be durable; readers never look past this.</summary>
    public long CommittedLength => Volatile.Read(ref _committedLength);

    /// <summary>The number of batches written (each one write and one flush).</summary>
    public long BatchCount => Volatile.Read(ref _batchCount);

    /// <summary>Raised after a batch failed to write, with the cause (for logging).</summary>
    public Action<Exception, int>? BatchFailed { get; init; }

    /// <summary>Queues the entry; false when the writer is closed or faulted (the caller keeps the payload).</summary>
    public bool TryEnqueue(GroupCommitEntry entry) => _fault is null && _queue.Writer.TryWrite(entry);

    /// <summary>The exception that stopped the writer, if any.</summary>
    public Exception? Fault => _fault;

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<GroupCommitEntry>(Math.Min(_maxBatchSize, 4096));
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            buffer.ResetWrittenCount();
            // When the queue was first found empty since the last append taken; 0 while appends keep coming. The clock is read
            // only while waiting, not once per append.
            var emptySince = 0L;
            while (batch.Count < _maxBatchSize)
            {
                if (!reader.TryRead(out var entry))
                {
                    // Gather: a flush costs milliseconds, so waiting a few microseconds for the rest of a burst pays off.
                    var now = TimeProvider.System.GetTimestamp();
                    if (emptySince == 0)
                    {
                        emptySince = now;
                    }

                    if (now - emptySince >= _gatherTicks)
                    {
                        break;
                    }

                    Thread.Yield();
                    continue;
                }

                emptySince = 0;

                try
                {
                    _framer.Frame(entry, buffer);
                }
                finally
                {
                    entry.ReturnPayload();
                }

                batch.Add(entry);
            }

            WriteBatch(batch, buffer);
        }

        // Closed: fail anything left (only possible after a fault stopped the draining above).
        while (reader.TryRead(out var left))
        {
            left.ReturnPayload();
            left.TrySetException(new ObjectDisposedException(nameof(GroupCommitWriter)));
        }
    }

    private void WriteBatch(List<GroupCommitEntry> batch, ArrayBufferWriter<byte> buffer)
    {
        if (_fault is not null)
        {
            _framer.Abort();
            Release([.. batch], new IOException("The audit file writer stopped after an earlier failure.", _fault));
            return;
        }

        try
        {
            if (buffer.WrittenCount > 0)
            {
                _stream.Write(buffer.WrittenSpan);
                _stream.Flush(_flushToDisk);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            _framer.Abort();
            try
            {
                // Cut the partial batch so the file ends on the last durable record.
                _stream.SetLength(_committedLength);
                _stream.Position = _committedLength;
            }
            catch (Exception cutFailure) when (cutFailure is IOException or UnauthorizedAccessException or ObjectDisposedException)
            {
                _fault = cutFailure;
            }

            BatchFailed?.Invoke(ex, batch.Count);
            var failure = new IOException("The audit file could not be written.", ex);
            Release([.. batch], failure);
            return;
        }

        Volatile.Write(ref _committedLength, _committedLength + buffer.WrittenCount);
        Interlocked.Increment(ref _batchCount);
        _framer.Commit(batch);
        Release([.. batch], null);
    }

    // One pool work item per batch releases every appender, so the writer loop goes straight on to the next batch.
    private static void Release(GroupCommitEntry[] entries, Exception? failure) =>
        ThreadPool.UnsafeQueueUserWorkItem(
            static state =>
            {
                foreach (var entry in state.Entries)
                {
                    if (state.Failure is null)
                    {
                        entry.TrySetResult(entry.Position);
                    }
                    else
                    {
                        entry.TrySetException(state.Failure);
                    }
                }
            },
            (Entries: entries, Failure: failure),
            preferLocal: false);

    /// <summary>Stops accepting entries, writes everything already queued, then returns.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }
}
