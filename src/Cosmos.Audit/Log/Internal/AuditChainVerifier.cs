using System.Security.Cryptography;

namespace Cosmos.Audit.Log.Internal;

/// <summary>Checks records one after another against the chain: well-formed, hash matches content, sequence +1, prev = last hash.</summary>
internal sealed class AuditChainVerifier
{
    private readonly byte[] _lastHash = new byte[AuditRecordFormat.HashSize];
    private readonly byte[] _prev = new byte[AuditRecordFormat.HashSize];
    private readonly byte[] _stored = new byte[AuditRecordFormat.HashSize];
    private readonly byte[] _computed = new byte[AuditRecordFormat.HashSize];

    /// <summary>The number of records verified so far.</summary>
    public long Count { get; private set; }

    /// <summary>The sequence number the next record must carry.</summary>
    public long NextSequence => Count + 1;

    /// <summary>The hash of the last verified record (zeros before the first).</summary>
    public ReadOnlySpan<byte> LastHash => _lastHash;

    public AuditLogFailure Check(ReadOnlySpan<byte> line, out Guid eventId, out string? message)
    {
        if (!AuditRecordFormat.TryParse(line, _prev, _stored, out var sequence, out eventId))
        {
            message = "the line is not a well-formed audit record";
            return AuditLogFailure.Malformed;
        }

        AuditRecordFormat.ComputeHash(_prev, line[..^AuditRecordFormat.SuffixLength], _computed);
        if (!CryptographicOperations.FixedTimeEquals(_computed, _stored))
        {
            message = "the stored hash does not match the record's content";
            return AuditLogFailure.HashMismatch;
        }

        if (sequence != NextSequence)
        {
            message = $"expected sequence {NextSequence}, found {sequence}";
            return AuditLogFailure.SequenceMismatch;
        }

        if (!_prev.AsSpan().SequenceEqual(_lastHash))
        {
            message = "the previous-hash link does not match the previous record";
            return AuditLogFailure.ChainBroken;
        }

        _computed.CopyTo(_lastHash, 0);
        Count++;
        message = null;
        return AuditLogFailure.None;
    }

    public AuditLogVerification Valid() =>
        new(AuditLogFailure.None, Count, AuditRecordFormat.ToHex(_lastHash), null, null, null);

    public AuditLogVerification Broken(AuditLogFailure failure, long lineNumber, string message) =>
        new(failure, Count, AuditRecordFormat.ToHex(_lastHash), lineNumber, NextSequence, message);

}
