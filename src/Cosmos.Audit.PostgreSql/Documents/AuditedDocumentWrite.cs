namespace Cosmos.Audit.PostgreSql.Documents;

/// <summary>The outcome of <see cref="PostgreSqlAuditDocumentStore.WriteAsync"/>: the document's new version and its audit record's place in the chain.</summary>
/// <param name="Version">The document's version after the write.</param>
/// <param name="Sequence">The sequence number of the audit record committed with it.</param>
public readonly record struct AuditedDocumentWrite(long Version, long Sequence);
