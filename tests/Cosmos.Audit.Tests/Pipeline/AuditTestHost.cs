using Cosmos.Audit.Identity;
using Cosmos.Audit.Log;
using Cosmos.Audit.Pipeline;
using Cosmos.Audit.Tests.AuditLog;
using Cosmos.Audit.Tokens;
using Cosmos.Audit.Users;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Cosmos.Audit.Log.Internal;

namespace Cosmos.Audit.Tests.Pipeline;

/// <summary>A DI container wired like a host: AddCosmosAudit with a manual clock, an in-memory store and a temp audit directory.</summary>
internal sealed class AuditTestHost : IAsyncDisposable
{
    public const string Write = "documents.write";

    private readonly ServiceProvider _services;

    private AuditTestHost(ServiceProvider services, TempDirectory directory, FakeTimeProvider clock)
    {
        _services = services;
        Directory = directory;
        Clock = clock;
    }

    public TempDirectory Directory { get; }

    public FakeTimeProvider Clock { get; }

    public IServiceProvider Services => _services;

    public IAuditPipeline Pipeline => _services.GetRequiredService<IAuditPipeline>();

    public InMemoryAuditDocumentStore Store => (InMemoryAuditDocumentStore)_services.GetRequiredService<IAuditDocumentStore>();

    public static AuditTestHost Create(IAuditSink? sink = null, Action<CosmosAuditOptions>? configure = null, Action<IServiceCollection>? services2 = null)
    {
        var directory = new TempDirectory();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddMetrics();
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton<IAuditDocumentStore, InMemoryAuditDocumentStore>();
        if (sink is not null)
        {
            services.AddSingleton(sink);
        }

        services.AddCosmosAudit(o =>
        {
            o.SigningKeys = [AuditSigningKey.FromBytes("k1", IdentityTestOptions.Secret(1))];
            o.Jwt.Issuer = IdentityTestOptions.Issuer;
            o.Jwt.Audience = IdentityTestOptions.Audience;
            o.RolePermissions["editor"] = [Write, "documents.read"];
            o.RolePermissions["viewer"] = ["documents.read"];
            o.AuditLog.Path = directory.File("audit.jsonl");
            o.AuditLog.DeadLetter.Directory = directory.File("dlq");
            o.AuditLog.File.FlushToDisk = false;
            o.AuditLog.DeadLetter.FlushToDisk = false;
            o.AuditLog.DeadLetterReplayInterval = TimeSpan.FromSeconds(10);
            configure?.Invoke(o);
        });
        services2?.Invoke(services);
        return new AuditTestHost(services.BuildServiceProvider(), directory, clock);
    }

    public string TokenFor(string userId, string username, params string[] roles) =>
        // The default refresh-token store is in memory and completes synchronously.
        _services.GetRequiredService<TokenIssuer>().IssueAsync(new UserContext(userId, username) { Roles = roles }).GetAwaiter().GetResult().AccessToken;

    public AuditDeadLetterReplayService ReplayService => _services.GetServices<IHostedService>().OfType<AuditDeadLetterReplayService>().Single();

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        Directory.Dispose();
    }
}
