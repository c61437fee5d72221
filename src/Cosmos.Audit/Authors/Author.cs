using Cosmos.Audit.Users;

namespace Cosmos.Audit.Authors;

/// <summary>Who made a change, as carried by a signed author string: name, id, service flag, delegation and signing time.</summary>
public sealed record Author
{
    /// <summary>Creates an author.</summary>
    /// <param name="username">The username (any non-empty text; separators are escaped when formatted).</param>
    /// <param name="userId">The user id (any non-empty text).</param>
    /// <param name="signedAt">When the author string was signed; kept to whole seconds in UTC.</param>
    /// <exception cref="ArgumentException"><paramref name="username"/> or <paramref name="userId"/> is null or empty.</exception>
    public Author(string username, string userId, DateTimeOffset signedAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(username);
        ArgumentException.ThrowIfNullOrEmpty(userId);
        Username = username;
        UserId = userId;
        var utc = signedAt.ToUniversalTime();
        SignedAt = new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }

    /// <summary>Gets the username.</summary>
    public string Username { get; }

    /// <summary>Gets the user id.</summary>
    public string UserId { get; }

    /// <summary>Gets when the author string was signed, in whole seconds, UTC.</summary>
    public DateTimeOffset SignedAt { get; }

    /// <summary>Gets a value indicating whether the author is a service account (<c>[service]</c>).</summary>
    public bool IsServiceAccount { get; init; }

    /// <summary>Gets the delegation (<c>[delegated|on_behalf_of:…|reason:…]</c>), or <see langword="null"/>.</summary>
    public Delegation? Delegation { get; init; }

    /// <summary>Creates the author of a change made by <paramref name="user"/> at <paramref name="signedAt"/>.</summary>
    /// <param name="user">The acting user.</param>
    /// <param name="signedAt">The signing time.</param>
    /// <returns>The author.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="user"/> is <see langword="null"/>.</exception>
    public static Author FromUser(UserContext user, DateTimeOffset signedAt)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new Author(user.Username, user.UserId, signedAt)
        {
            IsServiceAccount = user.IsServiceAccount,
            Delegation = user.Delegation,
        };
    }
}
