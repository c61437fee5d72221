using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Cosmos.Embeddings.Internal;

/// <summary>Float rows of fixed width kept in a file rather than in memory: the exact copy an int8 index rescores from.</summary>
/// <remarks>Reads and writes go through <see cref="RandomAccess"/> at row offsets, so concurrent readers need no lock of their own;
/// the operating system's page cache keeps the rows that are read often in memory without counting against the managed heap.</remarks>
internal sealed class FileFloatRows : IDisposable
{
    private readonly SafeFileHandle _handle;
    private readonly int _rowBytes;

    public FileFloatRows(string? path, int dimensions)
    {
        _rowBytes = dimensions * sizeof(float);
        Path = path ?? System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"cosmos-vectors-{Guid.NewGuid():N}.f32");

        // A file the host named is kept after the index is disposed; a temporary one is deleted with it.
        var options = path is null ? FileOptions.DeleteOnClose | FileOptions.RandomAccess : FileOptions.RandomAccess;
        _handle = File.OpenHandle(Path, FileMode.Create, FileAccess.ReadWrite, FileShare.Read, options);
    }

    /// <summary>The file holding the rows.</summary>
    public string Path { get; }

    public void Write(int row, ReadOnlySpan<float> values) =>
        RandomAccess.Write(_handle, MemoryMarshal.AsBytes(values), (long)row * _rowBytes);

    public void Read(int row, Span<float> destination)
    {
        var bytes = MemoryMarshal.AsBytes(destination);
        var offset = (long)row * _rowBytes;
        var read = 0;
        while (read < bytes.Length)
        {
            var n = RandomAccess.Read(_handle, bytes[read..], offset + read);
            if (n == 0)
            {
                throw new InvalidDataException($"The rescoring file '{Path}' ends before row {row}.");
            }

            read += n;
        }
    }

    public void Dispose() => _handle.Dispose();
}
