using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Cosmos.Embeddings.Indexing;

/// <summary>Save and load in a versioned, checksummed binary format.</summary>
/// <remarks>
/// Layout (little-endian): magic <c>"CVIX"</c>; version (uint16, 1); flags (uint16, bit 0 = int8);
/// dimensions (int32); count (int32); rescore oversampling (int32); model id (string); then per entry its id
/// (string), metadata pair count (int32) and pairs (string, string); then <c>count · dimensions</c> float32 values
/// of the normalised vectors, row-major; then the SHA-256 of every preceding byte. A string is an int32 byte
/// length followed by UTF-8 bytes. Int8 codes are recomputed on load, so they never disagree with the floats.
/// </remarks>
public sealed partial class VectorIndex
{
    private const uint FileMagic = 0x58495643; // "CVIX" read as little-endian uint32
    private const ushort FileVersion = 1;
    private const ushort FlagInt8 = 1;
    private const int MaxStringBytes = 1 << 20;
    private const int MaxMetadataPairs = 1 << 16;
    private const int CopyChunkFloats = 1 << 16;

    /// <summary>Writes the index to <paramref name="stream"/>; searches may run meanwhile, writers wait.</summary>
    /// <param name="stream">A writable stream; left open.</param>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="stream"/> is not writable.</exception>
    /// <exception cref="IOException">Writing failed.</exception>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite)
        {
            throw new ArgumentException("The stream is not writable.", nameof(stream));
        }

        _lock.EnterReadLock();
        try
        {
            using var writer = new HashingWriter(stream);
            writer.WriteUInt32(FileMagic);
            writer.WriteUInt16(FileVersion);
            writer.WriteUInt16(IsQuantized ? FlagInt8 : (ushort)0);
            writer.WriteInt32(_dimensions);
            writer.WriteInt32(_count);
            writer.WriteInt32(_options.RescoreOversampling);
            writer.WriteString(ModelId);
            for (int row = 0; row < _count; row++)
            {
                writer.WriteString(_ids[row]);
                IReadOnlyDictionary<string, string> metadata = _metadata[row];
                writer.WriteInt32(metadata.Count);
                foreach (KeyValuePair<string, string> pair in metadata)
                {
                    writer.WriteString(pair.Key);
                    writer.WriteString(pair.Value);
                }
            }

            if (_rescoreRows is null)
            {
                ReadOnlySpan<float> floats = _vectors.AsSpan(0, _count * _dimensions);
                for (int offset = 0; offset < floats.Length; offset += CopyChunkFloats)
                {
                    writer.WriteFloats(floats.Slice(offset, Math.Min(CopyChunkFloats, floats.Length - offset)));
                }
            }
            else
            {
                float[] buffer = System.Buffers.ArrayPool<float>.Shared.Rent(_dimensions);
                try
                {
                    for (int row = 0; row < _count; row++)
                    {
                        writer.WriteFloats(ReadFloatRow(row, buffer));
                    }
                }
                finally
                {
                    System.Buffers.ArrayPool<float>.Shared.Return(buffer);
                }
            }

            writer.WriteChecksum();
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Writes the index to a file, replacing it atomically (written to a temporary file, then moved).</summary>
    /// <param name="path">The file path.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="IOException">Writing failed.</exception>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            Save(file);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads an index written by <see cref="Save(Stream)"/>, verifying its format and checksum before returning it.</summary>
    /// <param name="stream">A readable stream positioned at the start of the index; left open.</param>
    /// <returns>The loaded index, with the saved model id, dimension, quantisation and entries.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidDataException">The data is not an index file, has an unsupported version, is truncated, or fails its checksum.</exception>
    public static VectorIndex Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        try
        {
            return LoadCore(stream);
        }
        catch (EndOfStreamException ex)
        {
            throw new InvalidDataException("The vector index file is truncated.", ex);
        }
    }

    /// <summary>Reads an index file written by <see cref="Save(string)"/>.</summary>
    /// <param name="path">The file path.</param>
    /// <returns>The loaded index.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="InvalidDataException">The file is not an index file, has an unsupported version, is truncated, or fails its checksum.</exception>
    public static VectorIndex Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Load(file);
    }

    private static VectorIndex LoadCore(Stream stream)
    {
        using var reader = new HashingReader(stream);
        if (reader.ReadUInt32() != FileMagic)
        {
            throw new InvalidDataException("The data is not a Cosmos vector index file (bad magic number).");
        }

        ushort version = reader.ReadUInt16();
        if (version != FileVersion)
        {
            throw new InvalidDataException($"The vector index file has version {version}; this library reads version {FileVersion}.");
        }

        ushort flags = reader.ReadUInt16();
        if ((flags & ~FlagInt8) != 0)
        {
            throw new InvalidDataException($"The vector index file has unknown flags 0x{flags:X4}.");
        }

        int dimensions = reader.ReadInt32();
        int count = reader.ReadInt32();
        int oversampling = reader.ReadInt32();
        if (dimensions <= 0 || count < 0 || count > MaxRows(dimensions)
            || oversampling < 1 || oversampling > VectorIndexOptions.MaxRescoreOversampling)
        {
            throw new InvalidDataException(
                $"The vector index file header is invalid (dimensions {dimensions}, count {count}, oversampling {oversampling}).");
        }

        // A corrupt header must not make us allocate gigabytes before the checksum can fail.
        long payloadBytes = (long)count * dimensions * sizeof(float);
        if (stream.CanSeek && stream.Length - stream.Position < payloadBytes)
        {
            throw new InvalidDataException(
                $"The vector index file is truncated: the header announces {count} vectors of {dimensions} dimensions ({payloadBytes} bytes) but fewer bytes remain.");
        }

        string modelId = reader.ReadString();
        if (string.IsNullOrWhiteSpace(modelId))
        {
            throw new InvalidDataException("The vector index file has an empty model id.");
        }

        var options = new VectorIndexOptions
        {
            Quantization = (flags & FlagInt8) != 0 ? VectorQuantization.Int8 : VectorQuantization.None,
            RescoreOversampling = oversampling,
            InitialCapacity = count,
        };
        var index = new VectorIndex(modelId, dimensions, options);
        try
        {
            for (int row = 0; row < count; row++)
            {
                string id = reader.ReadString();
                int pairs = reader.ReadInt32();
                if (pairs < 0 || pairs > MaxMetadataPairs)
                {
                    throw new InvalidDataException($"Entry {row} of the vector index file has an invalid metadata count {pairs}.");
                }

                IReadOnlyDictionary<string, string> metadata = EmptyMetadata;
                if (pairs > 0)
                {
                    var map = new Dictionary<string, string>(pairs, StringComparer.Ordinal);
                    for (int p = 0; p < pairs; p++)
                    {
                        string key = reader.ReadString();
                        if (!map.TryAdd(key, reader.ReadString()))
                        {
                            throw new InvalidDataException($"Entry {row} of the vector index file repeats metadata key '{key}'.");
                        }
                    }

                    metadata = new System.Collections.ObjectModel.ReadOnlyDictionary<string, string>(map);
                }

                if (!index._rowById.TryAdd(id, row))
                {
                    throw new InvalidDataException($"The vector index file repeats id '{id}'.");
                }

                index._ids[row] = id;
                index._metadata[row] = metadata;
            }

            if (index._rescoreRows is not null)
            {
                // int8 with the float copy on disk: each row is checked, quantised and written to the rescoring file as it is read.
                float[] buffer = new float[dimensions];
                for (int row = 0; row < count; row++)
                {
                    reader.ReadFloats(buffer);
                    EnsureUnitVector(buffer, row, index._ids[row]);
                    index._scales[row] = Quantize(buffer, index._codes.AsSpan(row * dimensions, dimensions));
                    index._rescoreRows.Write(row, buffer);
                }

                reader.VerifyChecksum();
                index._count = count;
                return index;
            }

            Span<float> floats = index._vectors.AsSpan(0, count * dimensions);
            for (int offset = 0; offset < floats.Length; offset += CopyChunkFloats)
            {
                reader.ReadFloats(floats.Slice(offset, Math.Min(CopyChunkFloats, floats.Length - offset)));
            }

            reader.VerifyChecksum();

            // The checksum proves the bytes are the ones written; these checks reject a well-formed file whose
            // writer was not this class, so a search never meets NaN or an unnormalised row.
            for (int row = 0; row < count; row++)
            {
                Span<float> vector = floats.Slice(row * dimensions, dimensions);
                EnsureUnitVector(vector, row, index._ids[row]);

                if (index.IsQuantized)
                {
                    index._scales[row] = Quantize(vector, index._codes.AsSpan(row * dimensions, dimensions));
                }
            }

            index._count = count;
            return index;
        }
        catch
        {
            index.Dispose();
            throw;
        }
    }

    private static void EnsureUnitVector(ReadOnlySpan<float> vector, int row, string id)
    {
        int bad = vector.IndexOfAnyExceptInRange(float.MinValue, float.MaxValue);
        float norm = bad < 0 ? System.Numerics.Tensors.TensorPrimitives.Norm(vector) : float.NaN;
        if (!(Math.Abs(norm - 1f) < 1e-3f))
        {
            throw new InvalidDataException($"Vector {row} ('{id}') in the vector index file is not a finite unit vector.");
        }
    }

    /// <summary>Writes little-endian primitives through a buffer while hashing every byte.</summary>
    private sealed class HashingWriter : IDisposable
    {
        private readonly Stream _stream;
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private readonly byte[] _scratch = new byte[16];

        public HashingWriter(Stream stream) => _stream = stream;

        public void WriteUInt32(uint value)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(_scratch, value);
            Write(_scratch.AsSpan(0, 4));
        }

        public void WriteUInt16(ushort value)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(_scratch, value);
            Write(_scratch.AsSpan(0, 2));
        }

        public void WriteInt32(int value)
        {
            BinaryPrimitives.WriteInt32LittleEndian(_scratch, value);
            Write(_scratch.AsSpan(0, 4));
        }

        public void WriteString(string value)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(value);
            if (bytes.Length > MaxStringBytes)
            {
                throw new InvalidOperationException($"A string of {bytes.Length} UTF-8 bytes exceeds the file format's limit of {MaxStringBytes}.");
            }

            WriteInt32(bytes.Length);
            Write(bytes);
        }

        public void WriteFloats(ReadOnlySpan<float> values)
        {
            if (BitConverter.IsLittleEndian)
            {
                Write(MemoryMarshal.AsBytes(values));
                return;
            }

            int[] swapped = new int[values.Length];
            BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<float, int>(values), swapped);
            Write(MemoryMarshal.AsBytes(swapped.AsSpan()));
        }

        public void WriteChecksum()
        {
            Span<byte> digest = stackalloc byte[32];
            _hash.GetHashAndReset(digest);
            _stream.Write(digest);
        }

        public void Dispose() => _hash.Dispose();

        private void Write(ReadOnlySpan<byte> bytes)
        {
            _hash.AppendData(bytes);
            _stream.Write(bytes);
        }
    }

    /// <summary>Reads little-endian primitives while hashing every byte; a short read throws <see cref="EndOfStreamException"/>.</summary>
    private sealed class HashingReader : IDisposable
    {
        private readonly Stream _stream;
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private readonly byte[] _scratch = new byte[16];

        public HashingReader(Stream stream) => _stream = stream;

        public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Read(4));

        public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Read(2));

        public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Read(4));

        public string ReadString()
        {
            int length = ReadInt32();
            if (length < 0 || length > MaxStringBytes)
            {
                throw new InvalidDataException($"The vector index file has an invalid string length {length}.");
            }

            byte[] bytes = new byte[length];
            ReadInto(bytes);
            try
            {
                return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
            }
            catch (DecoderFallbackException ex)
            {
                throw new InvalidDataException("The vector index file has a string that is not valid UTF-8.", ex);
            }
        }

        public void ReadFloats(Span<float> destination)
        {
            ReadInto(MemoryMarshal.AsBytes(destination));
            if (!BitConverter.IsLittleEndian)
            {
                Span<int> raw = MemoryMarshal.Cast<float, int>(destination);
                BinaryPrimitives.ReverseEndianness(raw, raw);
            }
        }

        public void VerifyChecksum()
        {
            Span<byte> expected = stackalloc byte[32];
            _stream.ReadExactly(expected);
            Span<byte> actual = stackalloc byte[32];
            _hash.GetHashAndReset(actual);
            if (!CryptographicOperations.FixedTimeEquals(expected, actual))
            {
                throw new InvalidDataException("The vector index file fails its SHA-256 checksum: it is corrupt or was modified.");
            }
        }

        public void Dispose() => _hash.Dispose();

        private ReadOnlySpan<byte> Read(int length)
        {
            Span<byte> span = _scratch.AsSpan(0, length);
            ReadInto(span);
            return span;
        }

        private void ReadInto(Span<byte> destination)
        {
            _stream.ReadExactly(destination);
            _hash.AppendData(destination);
        }
    }
}
