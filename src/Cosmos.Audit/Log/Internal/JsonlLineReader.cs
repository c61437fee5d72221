namespace Cosmos.Audit.Log.Internal;

/// <summary>Reads a JSONL stream line by line up to a fixed length, reporting each line's number, offset and whether it ended with a newline.</summary>
internal sealed class JsonlLineReader
{
    private readonly Stream _stream;
    private long _remaining;
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private int _lineStart;
    private int _lineLength;
    private long _consumed;
    private bool _eof;

    public JsonlLineReader(Stream stream, long length)
    {
        _stream = stream;
        _remaining = length;
    }

    /// <summary>1-based number of the current line.</summary>
    public long LineNumber { get; private set; }

    /// <summary>Byte offset of the current line in the stream.</summary>
    public long LineOffset { get; private set; }

    /// <summary>Whether the current line ended with <c>\n</c> (an unterminated line can only be the last one).</summary>
    public bool Terminated { get; private set; }

    /// <summary>The current line without its newline.</summary>
    public ReadOnlySpan<byte> Line => _buffer.AsSpan(_lineStart, _lineLength);

    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                SetLine(newline, terminated: true);
                return true;
            }

            if (_eof)
            {
                if (_start == _end)
                {
                    return false;
                }

                SetLine(_end - _start, terminated: false);
                return true;
            }

            await FillAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private void SetLine(int length, bool terminated)
    {
        LineNumber++;
        LineOffset = _consumed;
        _lineStart = _start;
        _lineLength = length;
        Terminated = terminated;
        var advance = terminated ? length + 1 : length;
        _start += advance;
        _consumed += advance;
    }

    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            // Keep the partial line at the front so it can grow to a full line.
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        var toRead = (int)Math.Min(_buffer.Length - _end, _remaining);
        var read = toRead == 0 ? 0 : await _stream.ReadAsync(_buffer.AsMemory(_end, toRead), cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            _eof = true;
            return;
        }

        _end += read;
        _remaining -= read;
    }
}
