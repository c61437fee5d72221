namespace Cosmos.Core.Layers;

/// <summary>How an impact on a layer compares with that layer's escape velocity.</summary>
public enum ImpactLevel
{
    /// <summary>The impact is below <c>WarningRatio × EscapeVelocity</c>.</summary>
    Normal = 0,

    /// <summary>The impact is at least <c>WarningRatio × EscapeVelocity</c> but below the escape velocity.</summary>
    Warning = 1,

    /// <summary>The impact has reached the escape velocity: the component should be isolated locally.</summary>
    Local = 2,
}
