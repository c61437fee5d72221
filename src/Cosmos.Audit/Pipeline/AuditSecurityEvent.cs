using Cosmos.Audit.Users;

namespace Cosmos.Audit.Pipeline;

/// <summary>A refused attempt to be written to the audit log: who (if known), why, and at what.</summary>
/// <remarks>Strings are recorded as given, cut to <see cref="AuditSecurityEventOptions.MaxTextLength"/> characters, with lone
/// UTF-16 surrogates written as <c>\uXXXX</c> text; never put a token, a password or a refused raw value in them.</remarks>
public sealed record AuditSecurityEvent
{
    /// <summary>Gets the kind of event.</summary>
    public required AuditSecurityEventKind Kind { get; init; }

    /// <summary>Gets why the attempt was refused (for example <c>token expired</c> or <c>missing permission 'documents.write'</c>).</summary>
    public required string Reason { get; init; }

    /// <summary>Gets the authenticated actor; <see langword="null"/> when unknown (a failed authentication).</summary>
    public UserContext? Actor { get; init; }

    /// <summary>Gets the collection the attempt targeted, if it targeted a document.</summary>
    public string? Collection { get; init; }

    /// <summary>Gets the document id the attempt targeted, if it targeted a document.</summary>
    public string? DocumentId { get; init; }

    /// <summary>Gets what the attempt targeted otherwise (for example <c>POST /documents/42</c>).</summary>
    public string? Target { get; init; }

    /// <summary>Gets where the attempt came from (for example the client's IP address); with the actor it keys the rate limit.</summary>
    public string? Source { get; init; }
}
