using Cosmos.Audit.Tokens;

namespace Cosmos.Audit;

/// <summary>Refresh-token settings.</summary>
public sealed partial class CosmosAuditOptions
{
    /// <summary>Gets or sets the refresh-token family settings (absolute lifetime).</summary>
    /// <value>The default value is a <see cref="RefreshTokenOptions"/> with its documented defaults.</value>
    public RefreshTokenOptions RefreshTokens { get; set; } = new();
}
