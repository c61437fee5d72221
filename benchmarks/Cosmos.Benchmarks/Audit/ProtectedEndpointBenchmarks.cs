using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Cosmos.Audit.Identity;
using Cosmos.Audit.Tokens;
using Cosmos.Audit.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace Cosmos.Benchmarks.Audit;

/// <summary>Requests per second of a protected minimal-API endpoint on Kestrel (127.0.0.1), authenticated by the Cosmos bearer
/// scheme or by <c>JwtBearer</c> with the same token and rules; an in-process <see cref="HttpClient"/> load loop with
/// <see cref="Connections"/> concurrent connections. Times are per request: requests/s = 1 s / Mean. <see cref="Algorithm"/> picks the
/// token's signature: a validation cache saves little on an HMAC token, whose check costs a few microseconds, and most on the
/// RSA-signed tokens identity providers issue.</summary>
[MemoryDiagnoser]
public class ProtectedEndpointBenchmarks
{
    private const string Issuer = "https://issuer.bench";
    private const string Audience = "bench";
    internal const int RequestsPerInvoke = 2000;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cosmos-bench-" + Guid.NewGuid().ToString("N"));
    private WebApplication _cosmos = null!;
    private WebApplication _jwtBearer = null!;
    private WebApplication _anonymous = null!;
    private WebApplication _frameworkOnly = null!;
    private HttpClient _cosmosClient = null!;
    private HttpClient _jwtBearerClient = null!;
    private HttpClient _anonymousClient = null!;
    private HttpClient _frameworkOnlyClient = null!;
    private string _token = null!;

    /// <summary>Gets or sets the number of concurrent connections of the load loop.</summary>
    [Params(16)]
    public int Connections { get; set; }

    /// <summary>Gets or sets the token's signature: <c>HS256</c> (a token this package issued, HMAC key) or <c>RS256</c> (the same
    /// claims signed by an external identity provider's RSA-2048 key, verified against its public key by both schemes).</summary>
    [Params("HS256", "RS256")]
    public string Algorithm { get; set; } = "HS256";

    // Synchronous on purpose: the in-process toolchain can start the workload before an async setup has finished.
    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => CleanupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        var secret = Enumerable.Range(0, 32).Select(i => (byte)(i * 13)).ToArray();
        var signingKey = AuditSigningKey.FromBytes("k1", secret);
        var rs256 = Algorithm == SecurityAlgorithms.RsaSha256;
        using var identityProvider = RSA.Create(2048);
        var publicKeyPem = identityProvider.ExportSubjectPublicKeyInfoPem();

        _cosmos = await StartAsync(services =>
        {
            services.AddCosmosAudit(o =>
            {
                o.SigningKeys = [signingKey];
                o.Jwt.Issuer = Issuer;
                o.Jwt.Audience = Audience;
                if (rs256)
                {
                    o.Jwt.ValidAlgorithms = [SecurityAlgorithms.RsaSha256];
                    o.Jwt.RsaPublicKeys = [new RsaPublicKeyOptions { Id = "idp-1", PublicKeyPem = publicKeyPem }];
                }

                o.AuditLog.Path = Path.Combine(_directory, "audit.jsonl");
                o.AuditLog.DeadLetter.Directory = Path.Combine(_directory, "dlq");
            });
            services.AddAuthentication().AddCosmosBearer();
        });

        // The same rules for JwtBearer: the same key (the derived HS256 key, or the identity provider's public key), issuer,
        // audience, pinned algorithm, expiry required, 30 s skew.
        var tokenKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, salt: [], info: Encoding.UTF8.GetBytes("cosmos.audit.access-token.v1"));
        var publicKey = RSA.Create();
        publicKey.ImportFromPem(publicKeyPem);
        _jwtBearer = await StartAsync(services => services.AddAuthentication().AddJwtBearer(o =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = Issuer,
                ValidAudience = Audience,
                ValidAlgorithms = [Algorithm],
                IssuerSigningKey = rs256 ? new RsaSecurityKey(publicKey) { KeyId = "idp-1" } : new SymmetricSecurityKey(tokenKey) { KeyId = "k1" },
                RequireExpirationTime = true,
                ClockSkew = TimeSpan.FromSeconds(30),
            };
        }));

        // The floor: the same host and request (token header included) on an endpoint that authenticates nothing.
        _anonymous = await StartAsync(_ => { }, protect: false);

        // The ceiling: the same protected endpoint behind a scheme that reads nothing (FrameworkOnlyHandler), i.e. what the
        // authentication and authorization middleware cost with any AuthenticationHandler-based scheme.
        _frameworkOnly = await StartAsync(services => services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, FrameworkOnlyHandler>(FrameworkOnlyHandler.Name, configureOptions: null));

        var token = _cosmos.Services.GetRequiredService<TokenIssuer>().IssueAsync(new UserContext("alice123", "alice.smith") { Roles = ["editor"] }).GetAwaiter().GetResult().AccessToken;
        if (rs256)
        {
            // The identity provider's token: the same claims (payload segment) under an RS256 header and signature.
            var header = Base64UrlEncoder.Encode("{\"alg\":\"RS256\",\"kid\":\"idp-1\",\"typ\":\"JWT\"}");
            var signingInput = header + "." + token.Split('.')[1];
            var signature = identityProvider.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            token = signingInput + "." + Base64UrlEncoder.Encode(signature);
        }

        _token = token;
        _cosmosClient = CreateClient(_cosmos, token);
        _jwtBearerClient = CreateClient(_jwtBearer, token);
        _anonymousClient = CreateClient(_anonymous, token);
        _frameworkOnlyClient = CreateClient(_frameworkOnly, token);
        foreach (var client in new[] { _cosmosClient, _jwtBearerClient, _anonymousClient, _frameworkOnlyClient })
        {
            using var response = await client.GetAsync("protected");
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"The protected endpoint answered {response.StatusCode}.");
            }
        }
    }

    private async Task CleanupAsync()
    {
        _cosmosClient.Dispose();
        _jwtBearerClient.Dispose();
        _anonymousClient.Dispose();
        _frameworkOnlyClient.Dispose();
        await _cosmos.DisposeAsync();
        await _jwtBearer.DisposeAsync();
        await _anonymous.DisposeAsync();
        await _frameworkOnly.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = RequestsPerInvoke)]
    public Task JwtBearer() => LoadAsync(_jwtBearerClient);

    [Benchmark(OperationsPerInvoke = RequestsPerInvoke)]
    public Task CosmosBearer() => LoadAsync(_cosmosClient);

    [Benchmark(OperationsPerInvoke = RequestsPerInvoke)]
    public Task NoAuthenticationFloor() => LoadAsync(_anonymousClient);

    /// <summary>The protected endpoint behind <see cref="FrameworkOnlyHandler"/>: the authentication and authorization middleware
    /// with a scheme that does nothing, the least any scheme costs above <see cref="NoAuthenticationFloor"/>.</summary>
    [Benchmark(OperationsPerInvoke = RequestsPerInvoke)]
    public Task FrameworkOnlyScheme() => LoadAsync(_frameworkOnlyClient);

    private async Task LoadAsync(HttpClient client)
    {
        var remaining = RequestsPerInvoke;
        var workers = new Task[Connections];
        for (var i = 0; i < workers.Length; i++)
        {
            workers[i] = Task.Run(async () =>
            {
                while (Interlocked.Decrement(ref remaining) >= 0)
                {
                    using var response = await client.GetAsync("protected", HttpCompletionOption.ResponseHeadersRead);
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        throw new InvalidOperationException($"The protected endpoint answered {response.StatusCode}.");
                    }
                }
            });
        }

        await Task.WhenAll(workers);
    }

    private static async Task<WebApplication> StartAsync(Action<IServiceCollection> configure, bool protect = true)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        configure(builder.Services);
        builder.Services.AddAuthorization();
        var app = builder.Build();
        var endpoint = app.MapGet("/protected", () => "ok");
        if (protect)
        {
            endpoint.RequireAuthorization();
        }

        await app.StartAsync();
        return app;
    }

    /// <summary>Creates a <see cref="RawHttpLoadClient"/> per host, sending the same request (token included) as the
    /// <see cref="HttpClient"/>s do; for <see cref="ProtectedEndpointLoad"/>.</summary>
    internal (RawHttpLoadClient JwtBearer, RawHttpLoadClient CosmosBearer, RawHttpLoadClient NoAuthenticationFloor, RawHttpLoadClient FrameworkOnlyScheme) CreateRawClients() =>
        (new(Address(_jwtBearer), "protected", _token, Connections),
         new(Address(_cosmos), "protected", _token, Connections),
         new(Address(_anonymous), "protected", _token, Connections),
         new(Address(_frameworkOnly), "protected", _token, Connections));

    private static Uri Address(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    private HttpClient CreateClient(WebApplication app, string token)
    {
        var address = Address(app).ToString();
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Connections, UseProxy = false })
        {
            BaseAddress = new Uri(address.TrimEnd('/') + "/"),
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
