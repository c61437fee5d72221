namespace Cosmos.Core;

/// <summary>Options for the Cosmos.Core services registered by <c>AddCosmosCore</c>.</summary>
/// <remarks>Each feature adds its settings in its own part of this class.</remarks>
public sealed partial class CosmosCoreOptions
{
}
