namespace Cosmos.Audit;

/// <summary>Options for the Cosmos.Audit services registered by <c>AddCosmosAudit</c>.</summary>
/// <remarks>Each feature adds its settings in its own part of this class.</remarks>
public sealed partial class CosmosAuditOptions
{
}
