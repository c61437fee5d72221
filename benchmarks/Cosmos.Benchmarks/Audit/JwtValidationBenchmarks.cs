using System.IdentityModel.Tokens.Jwt;
using BenchmarkDotNet.Attributes;
using Cosmos.Audit;
using Cosmos.Audit.Identity;
using Cosmos.Audit.Tokens;
using Cosmos.Audit.Users;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Cosmos.Benchmarks.Audit;

/// <summary>Validating one HS256 access token: our validator (cache hit and uncached) against the bare handlers.</summary>
[MemoryDiagnoser]
public class JwtValidationBenchmarks
{
    private AccessTokenValidator _cached = null!;
    private AccessTokenValidator _uncached = null!;
    private JsonWebTokenHandler _jsonWebTokenHandler = null!;
    private JwtSecurityTokenHandler _jwtSecurityTokenHandler = null!;
    private TokenValidationParameters _parameters = null!;
    private string _token = null!;

    [GlobalSetup]
    public void Setup()
    {
        var secret = Enumerable.Range(0, 32).Select(i => (byte)(i * 13)).ToArray();
        CosmosAuditOptions Options(TimeSpan cache) => new()
        {
            SigningKeys = [AuditSigningKey.FromBytes("k1", secret)],
            Jwt = new AuditJwtOptions { Issuer = "https://issuer.bench", Audience = "bench", ValidationCacheDuration = cache },
        };

        var cachedOptions = Microsoft.Extensions.Options.Options.Create(Options(TimeSpan.FromMinutes(5)));
        _cached = new AccessTokenValidator(cachedOptions, TimeProvider.System);
        _uncached = new AccessTokenValidator(Microsoft.Extensions.Options.Options.Create(Options(TimeSpan.Zero)), TimeProvider.System);
        _token = new TokenIssuer(cachedOptions, TimeProvider.System).IssueAsync(new UserContext("alice123", "alice.smith") { Roles = ["editor"] }).GetAwaiter().GetResult().AccessToken;

        // The bare handlers get the same rules: same derived key, issuer, audience, pinned algorithm, expiry required.
        var key = new AuditKeyRing(cachedOptions).ActiveTokenKey;
        _parameters = new TokenValidationParameters
        {
            ValidIssuer = "https://issuer.bench",
            ValidAudience = "bench",
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            IssuerSigningKey = new SymmetricSecurityKey(key) { KeyId = "k1" },
            RequireExpirationTime = true,
            ClockSkew = TimeSpan.FromSeconds(30),
        };
        _jsonWebTokenHandler = new JsonWebTokenHandler { MapInboundClaims = false };
        _jwtSecurityTokenHandler = new JwtSecurityTokenHandler { MapInboundClaims = false };
        if (!_cached.ValidateAsync(_token).AsTask().GetAwaiter().GetResult().IsValid)
        {
            throw new InvalidOperationException("The benchmark token does not validate.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _cached.Dispose();
        _uncached.Dispose();
    }

    [Benchmark(Baseline = true)]
    public async Task<bool> JsonWebTokenHandlerAlone() => (await _jsonWebTokenHandler.ValidateTokenAsync(_token, _parameters)).IsValid;

    [Benchmark]
    public async Task<bool> OursUncached() => (await _uncached.ValidateAsync(_token)).IsValid;

    [Benchmark]
    public async Task<bool> OursCacheHit() => (await _cached.ValidateAsync(_token)).IsValid;

    [Benchmark]
    public bool JwtSecurityTokenHandlerAlone()
    {
        _jwtSecurityTokenHandler.ValidateToken(_token, _parameters, out _);
        return true;
    }
}
