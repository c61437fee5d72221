using System.Diagnostics.Metrics;
using Cosmos.Audit.PostgreSql.Internal;
using Cosmos.Audit.Tokens;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace Cosmos.Audit.PostgreSql.Tokens;

/// <summary>Refresh-token families on PostgreSQL, shared by every host: a token rotated on one host is used up on all of them.</summary>
/// <remarks>
/// A rotation is one transaction that locks the presented token's row and its family's row (<c>SELECT ... FOR UPDATE</c>) before it
/// decides. Two hosts presenting the same token at once queue on those row locks: the first marks it used and inserts the
/// replacement; the second then reads the committed "used" flag, revokes the family and reports reuse. Expired rows are deleted
/// by <see cref="PruneAsync"/>.
/// </remarks>
public sealed class PostgreSqlRefreshTokenStore : IRefreshTokenStore, IDisposable
{
    private readonly SchemaGate _schema;
    private readonly AuditPostgreSqlMetrics _metrics;
    private readonly ILogger _logger;
    private readonly string _s;

    /// <summary>Creates the store over <paramref name="dataSource"/>.</summary>
    /// <param name="dataSource">The database.</param>
    /// <param name="options">The schema; the defaults when <see langword="null"/>.</param>
    /// <param name="loggerFactory">Creates the logger; optional.</param>
    /// <param name="meterFactory">Creates the <c>Cosmos.Audit.PostgreSql</c> meter; a private meter when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> is <see langword="null"/>.</exception>
    public PostgreSqlRefreshTokenStore(NpgsqlDataSource dataSource, AuditPostgreSqlOptions? options = null, ILoggerFactory? loggerFactory = null, IMeterFactory? meterFactory = null)
        : this(Log.PostgreSqlAuditLog.CreateGate(dataSource, options ?? new AuditPostgreSqlOptions(), loggerFactory), loggerFactory, new AuditPostgreSqlMetrics(meterFactory))
    {
    }

    internal PostgreSqlRefreshTokenStore(SchemaGate schema, ILoggerFactory? loggerFactory, AuditPostgreSqlMetrics metrics)
    {
        _schema = schema;
        _metrics = metrics;
        _logger = loggerFactory?.CreateLogger<PostgreSqlRefreshTokenStore>() ?? (ILogger)NullLogger.Instance;
        _s = schema.Schema;
    }

    /// <inheritdoc />
    public async Task AddFamilyAsync(RefreshTokenGrant grant, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grant);
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _schema.DataSource.CreateCommand($"""
            WITH family AS (
              INSERT INTO {_s}.refresh_families (family_id, user_context, expires_at) VALUES (@family, @user, @familyExpires))
            INSERT INTO {_s}.refresh_tokens (token_hash, family_id, expires_at) VALUES (@hash, @family, @expires)
            """);
        command.Parameters.AddWithValue("family", grant.FamilyId);
        command.Parameters.AddWithValue("user", NpgsqlDbType.Jsonb, UserContextJson.Serialize(grant.User));
        command.Parameters.AddWithValue("familyExpires", grant.FamilyExpiresAt.ToUniversalTime());
        command.Parameters.AddWithValue("hash", grant.TokenHash);
        command.Parameters.AddWithValue("expires", grant.ExpiresAt.ToUniversalTime());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<RefreshTokenRotation> RotateAsync(
        string presentedTokenHash,
        string replacementTokenHash,
        DateTimeOffset now,
        TimeSpan replacementLifetime,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(presentedTokenHash);
        ArgumentException.ThrowIfNullOrEmpty(replacementTokenHash);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(replacementLifetime, TimeSpan.Zero);
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await _schema.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);

        // FOR UPDATE locks both rows; a waiter re-reads both after the holder commits, so it sees the committed "used" and "revoked".
        string familyId;
        DateTimeOffset tokenExpires;
        bool used;
        string userJson;
        DateTimeOffset familyExpires;
        bool revoked;
        await using (var select = new NpgsqlCommand($"""
            SELECT t.family_id, t.expires_at, t.used, f.user_context::text, f.expires_at, f.revoked
            FROM {_s}.refresh_tokens t JOIN {_s}.refresh_families f ON f.family_id = t.family_id
            WHERE t.token_hash = @hash
            FOR UPDATE
            """, connection, transaction))
        {
            select.Parameters.AddWithValue("hash", presentedTokenHash);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return Result(RefreshFailureReason.Unknown, null, null);
            }

            familyId = reader.GetString(0);
            tokenExpires = new DateTimeOffset(reader.GetDateTime(1), TimeSpan.Zero);
            used = reader.GetBoolean(2);
            userJson = reader.GetString(3);
            familyExpires = new DateTimeOffset(reader.GetDateTime(4), TimeSpan.Zero);
            revoked = reader.GetBoolean(5);
        }

        var user = UserContextJson.Deserialize(userJson);
        if (revoked)
        {
            return Result(RefreshFailureReason.Revoked, user, null);
        }

        if (now >= tokenExpires || now >= familyExpires)
        {
            return Result(RefreshFailureReason.Expired, user, null);
        }

        if (used)
        {
            await using var revoke = new NpgsqlCommand($"UPDATE {_s}.refresh_families SET revoked = true WHERE family_id = @family", connection, transaction);
            revoke.Parameters.AddWithValue("family", familyId);
            await revoke.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            AuditPostgreSqlLog.RefreshTokenReuse(_logger, familyId);
            return Result(RefreshFailureReason.Reused, user, null);
        }

        var replacementExpires = now + replacementLifetime;
        if (replacementExpires > familyExpires)
        {
            replacementExpires = familyExpires;
        }

        await using (var rotate = new NpgsqlCommand($"""
            UPDATE {_s}.refresh_tokens SET used = true WHERE token_hash = @hash;
            INSERT INTO {_s}.refresh_tokens (token_hash, family_id, expires_at) VALUES (@replacement, @family, @expires);
            """, connection, transaction))
        {
            rotate.Parameters.AddWithValue("hash", presentedTokenHash);
            rotate.Parameters.AddWithValue("replacement", replacementTokenHash);
            rotate.Parameters.AddWithValue("family", familyId);
            rotate.Parameters.AddWithValue("expires", replacementExpires.ToUniversalTime());
            await rotate.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return Result(RefreshFailureReason.None, user, replacementExpires);
    }

    /// <inheritdoc />
    public async Task<bool> RevokeFamilyAsync(string tokenHash, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tokenHash);
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _schema.DataSource.CreateCommand($"""
            UPDATE {_s}.refresh_families SET revoked = true
            WHERE family_id = (SELECT family_id FROM {_s}.refresh_tokens WHERE token_hash = @hash)
            """);
        command.Parameters.AddWithValue("hash", tokenHash);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <summary>Deletes families (and their tokens) whose absolute lifetime ended before <paramref name="now"/>.</summary>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">Cancels the deletion.</param>
    /// <returns>The number of families deleted.</returns>
    public async Task<int> PruneAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _schema.DataSource.CreateCommand($"DELETE FROM {_s}.refresh_families WHERE expires_at <= @now");
        command.Parameters.AddWithValue("now", now.ToUniversalTime());
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Releases the private meter, if one was created.</summary>
    public void Dispose() => _metrics.Dispose();

    private RefreshTokenRotation Result(RefreshFailureReason failure, Cosmos.Audit.Users.UserContext? user, DateTimeOffset? expires)
    {
        if (_metrics.RefreshRotations.Enabled)
        {
            _metrics.RefreshRotations.Add(1, new KeyValuePair<string, object?>("result", failure.ToString()));
        }

        return new RefreshTokenRotation(failure, user, expires);
    }
}
