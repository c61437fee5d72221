namespace Cosmos.Audit.AspNetCore.Authentication;

/// <summary>Default values of the Cosmos bearer authentication scheme.</summary>
public static class CosmosBearerDefaults
{
    /// <summary>The default scheme name, <c>CosmosBearer</c>.</summary>
    public const string AuthenticationScheme = "CosmosBearer";
}
