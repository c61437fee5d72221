namespace Cosmos.Core.Layers;

/// <summary>One of the seven layers a component sits on, from the finest (L1) to the whole system (L7).</summary>
/// <remarks>The numeric value is the layer number, so <c>(int)layer</c> is 1 for L1 through 7 for L7.</remarks>
public enum CosmicLayer
{
    /// <summary>L1: quantum fluctuations (noise); isolated by noise filtering, recovered by automatic retry.</summary>
    Quantum = 1,

    /// <summary>L2: atomic interactions (variables); recovered by data normalisation.</summary>
    Atomic = 2,

    /// <summary>L3: molecular bonds (functions); recovered by algorithm substitution (fallback).</summary>
    Molecular = 3,

    /// <summary>L4: compound structures (modules); recovered by interface redefinition.</summary>
    Compound = 4,

    /// <summary>L5: organic connections (components); recovered by dependency reconfiguration.</summary>
    Organic = 5,

    /// <summary>L6: ecosystem balance (services); recovered by load balancing.</summary>
    Ecosystem = 6,

    /// <summary>L7: whole-system harmony; protected by the global circuit breaker, recovered by system restart.</summary>
    Cosmos = 7,
}
