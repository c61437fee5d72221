using System.Text.Json.Nodes;
using Cosmos.Audit.Log;
using Cosmos.Audit.Tokens;
using Cosmos.Audit.Validators;

namespace Cosmos.Audit.Pipeline;

/// <summary>The outcome of one <see cref="IAuditPipeline"/> call: the stamped document and its audit event, or why nothing was written.</summary>
public sealed record AuditedWriteResult
{
    /// <summary>How the write ended.</summary>
    public required AuditedWriteStatus Status { get; init; }

    /// <summary>Whether the document was written and audited.</summary>
    public bool Succeeded => Status == AuditedWriteStatus.Succeeded;

    /// <summary>The stamped document as stored; <see langword="null"/> unless <see cref="Succeeded"/>.</summary>
    public JsonObject? Document { get; init; }

    /// <summary>The document's version after the write (name it in the next update); for <see cref="AuditedWriteStatus.VersionMismatch"/>,
    /// the stored version when known.</summary>
    public long? Version { get; init; }

    /// <summary>The refusing verdict, when <see cref="Status"/> is <see cref="AuditedWriteStatus.Refused"/>: which validator (or <c>limits</c>) and why.</summary>
    public AuditValidationVerdict? Verdict { get; init; }

    /// <summary>The audit event published for the write; <see langword="null"/> unless <see cref="Succeeded"/>.</summary>
    public AuditEvent? Event { get; init; }

    /// <summary>Whether the event reached the sink or the dead-letter queue (<see cref="AuditPublishOutcome.Written"/> when an
    /// <see cref="IAuditTransactionalDocumentStore"/> committed it with the document); <see langword="null"/> unless <see cref="Succeeded"/>.</summary>
    public AuditPublishOutcome? AuditOutcome { get; init; }

    /// <summary>Why the token was rejected, when <see cref="Status"/> is <see cref="AuditedWriteStatus.Unauthenticated"/>.</summary>
    public TokenFailureReason? TokenFailure { get; init; }

    /// <summary>The permission the user lacks, when <see cref="Status"/> is <see cref="AuditedWriteStatus.Forbidden"/>.</summary>
    public string? MissingPermission { get; init; }

    /// <summary>A short explanation for a failed write (never contains the token).</summary>
    public string? Message { get; init; }
}
