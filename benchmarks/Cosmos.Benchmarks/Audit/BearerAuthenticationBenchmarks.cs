using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Cosmos.Audit.Identity;
using Cosmos.Audit.Tokens;
using Cosmos.Audit.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace Cosmos.Benchmarks.Audit;

/// <summary>What the authentication and authorization middleware do for one request of <see cref="ProtectedEndpointBenchmarks"/>,
/// without Kestrel or a client: a request scope, authenticating the default scheme, and authorizing the default policy (an
/// authenticated user) through <see cref="IPolicyEvaluator"/>, on a <see cref="DefaultHttpContext"/> carrying the same bearer
/// token. Isolates the schemes' own cost from the loopback HTTP cost that dominates the whole-request figures.</summary>
[MemoryDiagnoser]
public class BearerAuthenticationBenchmarks
{
    private const string Issuer = "https://issuer.bench";
    private const string Audience = "bench";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cosmos-bench-" + Guid.NewGuid().ToString("N"));
    private ServiceProvider _cosmos = null!;
    private ServiceProvider _jwtBearer = null!;
    private ServiceProvider _frameworkOnly = null!;
    private string _header = null!;

    private static readonly IAuthorizeData[] EndpointAuthorizeData = [new AuthorizeAttribute()];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<ServiceProvider, AuthorizationPolicy> _policies = new();

    [GlobalSetup]
    public void Setup()
    {
        var secret = Enumerable.Range(0, 32).Select(i => (byte)(i * 13)).ToArray();
        _cosmos = Build(services =>
        {
            services.AddCosmosAudit(o =>
            {
                o.SigningKeys = [AuditSigningKey.FromBytes("k1", secret)];
                o.Jwt.Issuer = Issuer;
                o.Jwt.Audience = Audience;
                o.AuditLog.Path = Path.Combine(_directory, "audit.jsonl");
                o.AuditLog.DeadLetter.Directory = Path.Combine(_directory, "dlq");
            });
            services.AddAuthentication(CosmosBearerDefaultScheme).AddCosmosBearer();
        });

        // The same rules as ProtectedEndpointBenchmarks gives JwtBearer.
        var tokenKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, salt: [], info: Encoding.UTF8.GetBytes("cosmos.audit.access-token.v1"));
        _jwtBearer = Build(services => services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = Issuer,
                ValidAudience = Audience,
                ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                IssuerSigningKey = new SymmetricSecurityKey(tokenKey) { KeyId = "k1" },
                RequireExpirationTime = true,
                ClockSkew = TimeSpan.FromSeconds(30),
            };
        }));

        _frameworkOnly = Build(services => services.AddAuthentication(FrameworkOnlyHandler.Name)
            .AddScheme<AuthenticationSchemeOptions, FrameworkOnlyHandler>(FrameworkOnlyHandler.Name, configureOptions: null));

        var token = _cosmos.GetRequiredService<TokenIssuer>().IssueAsync(new UserContext("alice123", "alice.smith") { Roles = ["editor"] }).GetAwaiter().GetResult().AccessToken;
        _header = "Bearer " + token;
        foreach (var services in new[] { _cosmos, _jwtBearer, _frameworkOnly })
        {
            if (!AuthorizeAsync(services).GetAwaiter().GetResult())
            {
                throw new InvalidOperationException("The benchmark token was refused.");
            }
        }
    }

    private static string CosmosBearerDefaultScheme => Cosmos.Audit.AspNetCore.Authentication.CosmosBearerDefaults.AuthenticationScheme;

    [GlobalCleanup]
    public void Cleanup()
    {
        _cosmos.Dispose();
        _jwtBearer.Dispose();
        _frameworkOnly.Dispose();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Benchmark(Baseline = true)]
    public Task<bool> JwtBearer() => AuthorizeAsync(_jwtBearer);

    [Benchmark]
    public Task<bool> CosmosBearer() => AuthorizeAsync(_cosmos);

    /// <summary>The machinery alone: a scheme that reads nothing and returns a one-claim principal.</summary>
    [Benchmark]
    public Task<bool> FrameworkOnly() => AuthorizeAsync(_frameworkOnly);

    private static ServiceProvider Build(Action<IServiceCollection> configure)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.ClearProviders());
        configure(services);
        services.AddAuthorization();
        return services.BuildServiceProvider();
    }

    private async Task<bool> AuthorizeAsync(ServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Headers.Authorization = _header;

        // AuthenticationMiddleware: the default scheme, its principal on the request.
        var authenticated = await context.AuthenticateAsync();
        if (authenticated.Principal is { } principal)
        {
            context.User = principal;
        }

        // AuthorizationMiddleware: the endpoint's policy (RequireAuthorization() = [Authorize], the default policy), combined once
        // per endpoint when the provider allows caching and on every request otherwise, then the evaluator.
        var provider = services.GetRequiredService<IAuthorizationPolicyProvider>();
        var policy = provider.AllowsCachingPolicies && _policies.TryGetValue(services, out var cached)
            ? cached
            : await AuthorizationPolicy.CombineAsync(provider, EndpointAuthorizeData) ?? throw new InvalidOperationException("No policy.");
        if (provider.AllowsCachingPolicies)
        {
            _policies[services] = policy;
        }

        var evaluator = scope.ServiceProvider.GetRequiredService<IPolicyEvaluator>();
        var authentication = await evaluator.AuthenticateAsync(policy, context);
        var authorization = await evaluator.AuthorizeAsync(policy, authentication, context, context);
        return authorization.Succeeded;
    }
}
