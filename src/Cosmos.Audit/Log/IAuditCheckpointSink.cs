namespace Cosmos.Audit.Log;

/// <summary>Receives each signed checkpoint of an audit log, to keep it where the log's writer cannot rewrite it.</summary>
/// <remarks>A checkpoint is only as trustworthy as its storage: one kept next to the log can be replaced along with the log.
/// Export to write-once storage (object lock, append-only tables, a separate host or service) for the guarantees described in
/// the package README.</remarks>
public interface IAuditCheckpointSink
{
    /// <summary>Stores a checkpoint.</summary>
    /// <param name="checkpoint">The signed checkpoint.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the checkpoint is stored.</returns>
    ValueTask WriteAsync(AuditCheckpoint checkpoint, CancellationToken cancellationToken = default);
}
