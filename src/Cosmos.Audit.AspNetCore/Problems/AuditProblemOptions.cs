using System.ComponentModel.DataAnnotations;
using Cosmos.Audit.Pipeline;

namespace Cosmos.Audit.AspNetCore.Problems;

/// <summary>How refused audited writes (<see cref="AuditedWriteResult"/>) become HTTP problem responses (RFC 9457).</summary>
public sealed class AuditProblemOptions
{
    /// <summary>Gets or sets the HTTP status of each refusal. A status not listed here (for example one added by a newer
    /// pipeline) is answered with <see cref="DefaultRefusalStatusCode"/>, so a new refusal never turns into a success.</summary>
    /// <value>The default value maps <see cref="AuditedWriteStatus.Unauthenticated"/> to 401, <see cref="AuditedWriteStatus.Forbidden"/>
    /// to 403, <see cref="AuditedWriteStatus.NotFound"/> to 404, <see cref="AuditedWriteStatus.Conflict"/> and
    /// <see cref="AuditedWriteStatus.VersionMismatch"/> to 409, and <see cref="AuditedWriteStatus.Refused"/> to 422.</value>
    public IDictionary<AuditedWriteStatus, int> StatusCodes { get; set; } = new Dictionary<AuditedWriteStatus, int>
    {
        [AuditedWriteStatus.Unauthenticated] = 401,
        [AuditedWriteStatus.Forbidden] = 403,
        [AuditedWriteStatus.NotFound] = 404,
        [AuditedWriteStatus.Conflict] = 409,
        [AuditedWriteStatus.Refused] = 422,
        [AuditedWriteStatus.VersionMismatch] = 409,
    };

    /// <summary>Gets or sets the HTTP status of a <see cref="AuditedWriteStatus.Refused"/> write by the name of the refusing validator
    /// (<see cref="Cosmos.Audit.Validators.AuditValidationVerdict.Validator"/>), overriding <see cref="StatusCodes"/> for it; for example
    /// <c>["limits"] = 413</c> answers documents the audit log cannot record with 413 Content Too Large.</summary>
    /// <value>The default value is an empty map (ordinal names).</value>
    public IDictionary<string, int> RefusalStatusCodes { get; set; } = new Dictionary<string, int>(StringComparer.Ordinal);

    /// <summary>Gets or sets the status of a refusal missing from <see cref="StatusCodes"/>: the request was understood and refused
    /// by a rule about its content.</summary>
    /// <value>The default value is 422 (Unprocessable Content).</value>
    [Range(400, 599)]
    public int DefaultRefusalStatusCode { get; set; } = 422;
}
