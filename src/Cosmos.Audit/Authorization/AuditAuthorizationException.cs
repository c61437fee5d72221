namespace Cosmos.Audit.Authorization;

/// <summary>Thrown when a user lacks a permission; <see cref="Permission"/> names the missing one.</summary>
public sealed class AuditAuthorizationException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public AuditAuthorizationException()
        : this("The caller lacks a required permission.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public AuditAuthorizationException(string message)
        : base(message)
    {
        Permission = "";
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public AuditAuthorizationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Permission = "";
    }

    /// <summary>Creates the exception from a denial.</summary>
    /// <param name="decision">The denying decision.</param>
    /// <exception cref="ArgumentNullException"><paramref name="decision"/> is <see langword="null"/>.</exception>
    public AuditAuthorizationException(AuthorizationDecision decision)
        : base(FormatMessage(decision))
    {
        Permission = decision.Permission;
        UserId = decision.UserId;
    }

    /// <summary>Gets the missing permission (empty when the exception was not created from a decision).</summary>
    public string Permission { get; }

    /// <summary>Gets the id of the denied user, or <see langword="null"/> for an anonymous caller.</summary>
    public string? UserId { get; }

    private static string FormatMessage(AuthorizationDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        return $"Permission '{decision.Permission}' denied to {(decision.UserId is null ? "an anonymous caller" : $"user '{decision.UserId}'")}: {decision.Reason}";
    }
}
