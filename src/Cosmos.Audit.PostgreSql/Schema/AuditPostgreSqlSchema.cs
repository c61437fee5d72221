using System.Globalization;
using System.Text;
using Cosmos.Audit.PostgreSql.Internal;
using Npgsql;

namespace Cosmos.Audit.PostgreSql.Schema;

/// <summary>The versioned, idempotent database schema: applied at start by default, or exported as SQL for a DBA to run.</summary>
/// <remarks>
/// <para>Each migration is idempotent (<c>IF NOT EXISTS</c>, <c>CREATE OR REPLACE</c>) and recorded in <c>&lt;schema&gt;.schema_version</c>;
/// <see cref="ApplyAsync"/> runs the missing ones under an advisory lock, so hosts starting together migrate once.</para>
/// <para>Tables: <c>audit_log</c> (the hash chain, append-only by trigger), <c>documents</c> (jsonb with a version column),
/// <c>events</c> (the event store), <c>refresh_families</c> and <c>refresh_tokens</c>.</para>
/// </remarks>
public static class AuditPostgreSqlSchema
{
    /// <summary>The schema version this package writes and reads.</summary>
    public const int CurrentVersion = 1;

    /// <summary>The default schema name.</summary>
    public const string DefaultSchema = "cosmos_audit";

    /// <summary>The default name of the role <see cref="GetWriterRoleScript"/> grants to.</summary>
    public const string DefaultWriterRole = "cosmos_audit_writer";

    private static readonly Func<string, string>[] s_migrations = [Version1];

    /// <summary>Returns the complete SQL script that brings a database to <see cref="CurrentVersion"/>; running it again changes nothing.</summary>
    /// <param name="schema">The schema name (lower-case letters, digits and underscores, starting with a letter or underscore).</param>
    /// <returns>The script, one transaction.</returns>
    /// <exception cref="ArgumentException"><paramref name="schema"/> is not a valid schema name.</exception>
    public static string GetScript(string schema = DefaultSchema)
    {
        ValidateName(schema, nameof(schema));
        var script = new StringBuilder();
        script.AppendLine("BEGIN;");
        script.AppendLine(Bootstrap(schema));
        for (var i = 0; i < s_migrations.Length; i++)
        {
            script.AppendLine(CultureInfo.InvariantCulture, $"-- version {i + 1}");
            script.AppendLine(s_migrations[i](schema));
            script.AppendLine(RecordVersion(schema, i + 1));
        }

        script.AppendLine("COMMIT;");
        return script.ToString();
    }

    /// <summary>Returns the SQL that creates (if missing) a login role with only what a host needs: <c>INSERT</c> and <c>SELECT</c>
    /// on the audit log (never <c>UPDATE</c>, <c>DELETE</c> or <c>TRUNCATE</c>), read/write on the other tables.</summary>
    /// <param name="schema">The schema name.</param>
    /// <param name="role">The role name.</param>
    /// <returns>The script; set the role's password separately (<c>ALTER ROLE ... PASSWORD</c>).</returns>
    /// <exception cref="ArgumentException">A name is not valid.</exception>
    public static string GetWriterRoleScript(string schema = DefaultSchema, string role = DefaultWriterRole)
    {
        ValidateName(schema, nameof(schema));
        ValidateName(role, nameof(role));
        return $"""
            DO $$ BEGIN
              IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') THEN CREATE ROLE {role} LOGIN; END IF;
            END $$;
            GRANT USAGE ON SCHEMA {schema} TO {role};
            GRANT SELECT ON {schema}.schema_version TO {role};
            GRANT SELECT, INSERT ON {schema}.audit_log TO {role};
            REVOKE UPDATE, DELETE, TRUNCATE ON {schema}.audit_log FROM {role};
            GRANT SELECT, INSERT, UPDATE ON {schema}.documents TO {role};
            GRANT SELECT, INSERT ON {schema}.events TO {role};
            GRANT SELECT, INSERT, UPDATE, DELETE ON {schema}.refresh_families, {schema}.refresh_tokens TO {role};
            """;
    }

    /// <summary>Applies the missing migrations; safe to call from several hosts at once and on every start.</summary>
    /// <param name="dataSource">The database.</param>
    /// <param name="schema">The schema name.</param>
    /// <param name="cancellationToken">Cancels the migration (the running migration's transaction rolls back).</param>
    /// <returns>The schema version before the call (0 for a new database).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="schema"/> is not a valid schema name.</exception>
    /// <exception cref="InvalidOperationException">The database is at a newer schema version than this package knows.</exception>
    public static async Task<int> ApplyAsync(NpgsqlDataSource dataSource, string schema = DefaultSchema, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ValidateName(schema, nameof(schema));
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
        {
            lockCommand.Parameters.AddWithValue("key", AdvisoryLockKey.For(schema, "schema"));
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var bootstrap = new NpgsqlCommand(Bootstrap(schema), connection, transaction))
        {
            await bootstrap.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        int before;
        await using (var read = new NpgsqlCommand($"SELECT coalesce(max(version), 0) FROM {schema}.schema_version", connection, transaction))
        {
            before = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }

        if (before > CurrentVersion)
        {
            throw new InvalidOperationException(
                $"The database schema '{schema}' is at version {before}, newer than version {CurrentVersion} that this Cosmos.Audit.PostgreSql understands. Upgrade the package.");
        }

        for (var version = before + 1; version <= CurrentVersion; version++)
        {
            await using var migrate = new NpgsqlCommand(s_migrations[version - 1](schema) + RecordVersion(schema, version), connection, transaction);
            await migrate.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return before;
    }

    internal static void ValidateName(string name, string paramName)
    {
        ArgumentException.ThrowIfNullOrEmpty(name, paramName);
        if (name.Length > 63 || !(char.IsAsciiLetterLower(name[0]) || name[0] == '_')
            || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
        {
            throw new ArgumentException(
                $"'{name}' is not a valid name: use 1-63 lower-case letters, digits and underscores, starting with a letter or underscore.", paramName);
        }
    }

    private static string Bootstrap(string s) => $"""
        CREATE SCHEMA IF NOT EXISTS {s};
        CREATE TABLE IF NOT EXISTS {s}.schema_version (
          version int PRIMARY KEY,
          applied_at timestamptz NOT NULL DEFAULT now());
        """;

    private static string RecordVersion(string s, int version) =>
        $"\nINSERT INTO {s}.schema_version (version) VALUES ({version.ToString(CultureInfo.InvariantCulture)}) ON CONFLICT DO NOTHING;";

    // Version 1. The audit log stores each record's exact bytes (the same line the file log writes, without its newline), so
    // verification hashes exactly what was hashed on append; seq is the chain order, assigned under an advisory lock.
    private static string Version1(string s) => $"""
        CREATE TABLE IF NOT EXISTS {s}.audit_log (
          seq bigint PRIMARY KEY CHECK (seq > 0),
          event_id uuid NOT NULL UNIQUE,
          hash bytea NOT NULL CHECK (length(hash) = 32),
          record bytea NOT NULL,
          written_at timestamptz NOT NULL DEFAULT now());

        CREATE OR REPLACE FUNCTION {s}.refuse_audit_log_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
          RAISE EXCEPTION 'the audit log is append-only: % on %.audit_log is refused', TG_OP, TG_TABLE_SCHEMA
            USING ERRCODE = 'insufficient_privilege';
        END $fn$;
        DROP TRIGGER IF EXISTS audit_log_append_only ON {s}.audit_log;
        CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON {s}.audit_log
          FOR EACH ROW EXECUTE FUNCTION {s}.refuse_audit_log_change();
        DROP TRIGGER IF EXISTS audit_log_no_truncate ON {s}.audit_log;
        CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON {s}.audit_log
          FOR EACH STATEMENT EXECUTE FUNCTION {s}.refuse_audit_log_change();

        CREATE TABLE IF NOT EXISTS {s}.documents (
          collection text NOT NULL,
          document_id text NOT NULL,
          version bigint NOT NULL CHECK (version > 0),
          body jsonb NOT NULL,
          updated_at timestamptz NOT NULL,
          PRIMARY KEY (collection, document_id));

        CREATE TABLE IF NOT EXISTS {s}.events (
          position bigint PRIMARY KEY CHECK (position > 0),
          stream_id text NOT NULL,
          version bigint NOT NULL CHECK (version > 0),
          event_id uuid NOT NULL,
          event_type text NOT NULL,
          data bytea NOT NULL,
          metadata bytea NOT NULL,
          recorded_at timestamptz NOT NULL,
          UNIQUE (stream_id, version));

        CREATE TABLE IF NOT EXISTS {s}.refresh_families (
          family_id text PRIMARY KEY,
          user_context jsonb NOT NULL,
          expires_at timestamptz NOT NULL,
          revoked boolean NOT NULL DEFAULT false);

        CREATE TABLE IF NOT EXISTS {s}.refresh_tokens (
          token_hash text PRIMARY KEY,
          family_id text NOT NULL REFERENCES {s}.refresh_families (family_id) ON DELETE CASCADE,
          expires_at timestamptz NOT NULL,
          used boolean NOT NULL DEFAULT false);
        CREATE INDEX IF NOT EXISTS refresh_tokens_family ON {s}.refresh_tokens (family_id);
        """;
}
