using Cosmos.Audit.Users;

namespace Cosmos.Audit.Tokens;

/// <summary>An <see cref="IRefreshTokenStore"/> in process memory: the default for one host. Tokens do not survive a restart and are
/// not shared between processes; several hosts need a shared store (Cosmos.Audit.PostgreSql).</summary>
/// <remarks>One lock makes rotation, reuse detection and family revocation indivisible. Expired tokens and families are
/// pruned every 1024 operations, after which their tokens read as <see cref="RefreshFailureReason.Unknown"/>.</remarks>
public sealed class InMemoryRefreshTokenStore : IRefreshTokenStore
{
    // Pruning walks every entry; doing it once per 1024 operations keeps the amortised cost per call constant.
    private const int PruneEvery = 1024;

    private readonly object _gate = new();
    private readonly Dictionary<string, TokenEntry> _tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Family> _families = new(StringComparer.Ordinal);
    private int _operations;

    /// <summary>The number of stored tokens (used ones included, until they are pruned).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _tokens.Count;
            }
        }
    }

    /// <inheritdoc />
    public Task AddFamilyAsync(RefreshTokenGrant grant, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grant);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _families[grant.FamilyId] = new Family(grant.User, grant.FamilyExpiresAt);
            _tokens[grant.TokenHash] = new TokenEntry(grant.FamilyId, grant.ExpiresAt, Used: false);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<RefreshTokenRotation> RotateAsync(
        string presentedTokenHash,
        string replacementTokenHash,
        DateTimeOffset now,
        TimeSpan replacementLifetime,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(presentedTokenHash);
        ArgumentException.ThrowIfNullOrEmpty(replacementTokenHash);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(replacementLifetime, TimeSpan.Zero);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            PruneOccasionally(now);
            if (!_tokens.TryGetValue(presentedTokenHash, out var token) || !_families.TryGetValue(token.FamilyId, out var family))
            {
                return Task.FromResult(new RefreshTokenRotation(RefreshFailureReason.Unknown, null, null));
            }

            if (family.Revoked)
            {
                return Task.FromResult(new RefreshTokenRotation(RefreshFailureReason.Revoked, family.User, null));
            }

            if (now >= token.ExpiresAt || now >= family.ExpiresAt)
            {
                return Task.FromResult(new RefreshTokenRotation(RefreshFailureReason.Expired, family.User, null));
            }

            if (token.Used)
            {
                _families[token.FamilyId] = family with { Revoked = true };
                return Task.FromResult(new RefreshTokenRotation(RefreshFailureReason.Reused, family.User, null));
            }

            var expiresAt = Min(now + replacementLifetime, family.ExpiresAt);
            _tokens[presentedTokenHash] = token with { Used = true };
            _tokens[replacementTokenHash] = new TokenEntry(token.FamilyId, expiresAt, Used: false);
            return Task.FromResult(new RefreshTokenRotation(RefreshFailureReason.None, family.User, expiresAt));
        }
    }

    /// <inheritdoc />
    public Task<bool> RevokeFamilyAsync(string tokenHash, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tokenHash);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_tokens.TryGetValue(tokenHash, out var token) || !_families.TryGetValue(token.FamilyId, out var family))
            {
                return Task.FromResult(false);
            }

            _families[token.FamilyId] = family with { Revoked = true };
            return Task.FromResult(true);
        }
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a <= b ? a : b;

    private void PruneOccasionally(DateTimeOffset now)
    {
        if (++_operations % PruneEvery != 0)
        {
            return;
        }

        // A token never outlives its family, so dropping expired families first cannot orphan a live token.
        foreach (var (id, family) in _families.ToArray())
        {
            if (now >= family.ExpiresAt)
            {
                _families.Remove(id);
            }
        }

        foreach (var (hash, token) in _tokens.ToArray())
        {
            if (now >= token.ExpiresAt || !_families.ContainsKey(token.FamilyId))
            {
                _tokens.Remove(hash);
            }
        }
    }

    private sealed record TokenEntry(string FamilyId, DateTimeOffset ExpiresAt, bool Used);

    private sealed record Family(UserContext User, DateTimeOffset ExpiresAt, bool Revoked = false);
}
