namespace Cosmos.Audit.Users;

/// <summary>An <see cref="IUserContextAccessor"/> that flows the user with the execution context (<see cref="AsyncLocal{T}"/>).</summary>
/// <remarks>The user set by <see cref="Use(UserContext)"/> flows into awaited calls and into tasks started inside the scope;
/// changes made inside a child task never leak back to its parent.</remarks>
public sealed class AsyncLocalUserContextAccessor : IUserContextAccessor
{
    private readonly AsyncLocal<UserContext?> _current = new();

    /// <inheritdoc />
    public UserContext? Current => _current.Value;

    /// <inheritdoc />
    public IDisposable Use(UserContext user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var scope = new Scope(this, _current.Value);
        _current.Value = user;
        return scope;
    }

    private sealed class Scope(AsyncLocalUserContextAccessor owner, UserContext? outer) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            // Disposing twice must not restore an outer user over a later scope's user.
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner._current.Value = outer;
            }
        }
    }
}
