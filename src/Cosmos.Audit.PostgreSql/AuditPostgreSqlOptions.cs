using System.ComponentModel.DataAnnotations;
using Cosmos.Audit.PostgreSql.Schema;

namespace Cosmos.Audit.PostgreSql;

/// <summary>Options of Cosmos.Audit.PostgreSql, validated when the host starts.</summary>
public sealed class AuditPostgreSqlOptions
{
    /// <summary>Gets or sets the connection string; when <see langword="null"/>, the <see cref="Npgsql.NpgsqlDataSource"/> registered
    /// in the host's container is used.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? ConnectionString { get; set; }

    /// <summary>Gets or sets the schema holding the tables (lower-case letters, digits, underscores).</summary>
    /// <value>The default value is <c>cosmos_audit</c>.</value>
    [Required]
    [RegularExpression("^[a-z_][a-z0-9_]{0,62}$")]
    public string Schema { get; set; } = AuditPostgreSqlSchema.DefaultSchema;

    /// <summary>Gets or sets a value indicating whether the host applies missing schema migrations when it starts. Turn it off when a
    /// DBA applies <see cref="AuditPostgreSqlSchema.GetScript"/> and hosts connect with the writer role, which cannot create tables.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool ApplySchemaOnStart { get; set; } = true;

    /// <summary>Gets or sets the most audit records one group-commit batch (one transaction) holds.</summary>
    /// <value>The default value is 1000.</value>
    [Range(1, 100_000)]
    public int MaxBatchSize { get; set; } = 1000;

    /// <summary>Gets or sets how many rows a read (verification, read-forward, subscription catch-up) fetches per round trip.</summary>
    /// <value>The default value is 1000.</value>
    [Range(1, 100_000)]
    public int ReadBatchSize { get; set; } = 1000;
}
