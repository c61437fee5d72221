namespace Cosmos.Audit.Users;

/// <summary>Gives access to the user of the current asynchronous flow.</summary>
public interface IUserContextAccessor
{
    /// <summary>Gets the user of the current asynchronous flow, or <see langword="null"/> outside any <see cref="Use(UserContext)"/> scope.</summary>
    UserContext? Current { get; }

    /// <summary>Makes <paramref name="user"/> the current user until the returned scope is disposed, which restores the outer user.</summary>
    /// <param name="user">The user to make current.</param>
    /// <returns>A scope; dispose it (with <c>using</c>) to restore the previous user.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="user"/> is <see langword="null"/>.</exception>
    IDisposable Use(UserContext user);
}
