namespace Cosmos.Audit.Users;

/// <summary>States that an account acts for another user, and why (for example a service running a scheduled import for a person).</summary>
public sealed record Delegation
{
    /// <summary>Creates a delegation record.</summary>
    /// <param name="onBehalfOf">The user id or name the acting account works for.</param>
    /// <param name="reason">Why the account acts for that user; optional.</param>
    /// <exception cref="ArgumentException"><paramref name="onBehalfOf"/> is null or empty, or <paramref name="reason"/> is empty.</exception>
    public Delegation(string onBehalfOf, string? reason = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(onBehalfOf);
        if (reason is not null)
        {
            ArgumentException.ThrowIfNullOrEmpty(reason);
        }

        OnBehalfOf = onBehalfOf;
        Reason = reason;
    }

    /// <summary>Gets the user the acting account works for.</summary>
    public string OnBehalfOf { get; }

    /// <summary>Gets why the account acts for that user, or <see langword="null"/> when no reason was given.</summary>
    public string? Reason { get; }
}
