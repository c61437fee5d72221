namespace Cosmos.Core.Layers;

/// <summary>The description and threshold of one <see cref="CosmicLayer"/>.</summary>
/// <param name="Layer">The layer described.</param>
/// <param name="Name">The layer's display name, for example <c>"Quantum"</c>.</param>
/// <param name="EscapeVelocity">The impact threshold in (0, 1] at which a component on this layer is isolated.</param>
/// <param name="Responsibility">What the layer is responsible for.</param>
/// <param name="IsolationStrategy">How a failing component on this layer is isolated.</param>
/// <param name="RecoveryMechanism">How a component on this layer recovers.</param>
public sealed record LayerProfile(
    CosmicLayer Layer,
    string Name,
    double EscapeVelocity,
    string Responsibility,
    string IsolationStrategy,
    string RecoveryMechanism);
