using Cosmos.Audit;
using Cosmos.Audit.Identity;
using Microsoft.Extensions.Options;

namespace Cosmos.Audit.Tests;

/// <summary>Valid identity options for tests, with fixed secrets so tokens can be forged deliberately.</summary>
internal static class IdentityTestOptions
{
    public const string Issuer = "https://issuer.test";
    public const string Audience = "cosmos-tests";

    public static byte[] Secret(byte seed) => Enumerable.Range(0, 32).Select(i => (byte)(seed + (i * 7))).ToArray();

    public static CosmosAuditOptions Create(Action<CosmosAuditOptions>? configure = null)
    {
        var options = new CosmosAuditOptions
        {
            SigningKeys = [AuditSigningKey.FromBytes("k1", Secret(1))],
            Jwt = new AuditJwtOptions { Issuer = Issuer, Audience = Audience },
        };
        configure?.Invoke(options);
        return options;
    }

    public static IOptions<CosmosAuditOptions> Wrap(Action<CosmosAuditOptions>? configure = null) => Options.Create(Create(configure));
}
