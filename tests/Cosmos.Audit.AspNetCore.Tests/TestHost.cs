using System.Security.Cryptography;
using Cosmos.Audit.Identity;
using Cosmos.Audit.Tokens;
using Cosmos.Audit.Users;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cosmos.Audit.AspNetCore.Tests;

/// <summary>A minimal in-memory host with the Cosmos bearer scheme, for tests that need their own endpoints.</summary>
internal sealed class TestHost : IAsyncDisposable
{
    private readonly string _directory;

    private TestHost(WebApplication app, string directory)
    {
        App = app;
        _directory = directory;
    }

    public WebApplication App { get; }

    public static void ConfigureAudit(CosmosAuditOptions options, string directory)
    {
        options.SigningKeys = [AuditSigningKey.FromBytes("k1", RandomNumberGenerator.GetBytes(32))];
        options.Jwt.Issuer = "https://issuer.test";
        options.Jwt.Audience = "aspnetcore-tests";
        options.RolePermissions["editor"] = ["documents.write", "documents.read"];
        options.RolePermissions["viewer"] = ["documents.read"];
        options.RolePermissions["admin"] = ["*"];
        options.AuditLog.Path = Path.Combine(directory, "audit.jsonl");
        options.AuditLog.DeadLetter.Directory = Path.Combine(directory, "dlq");
    }

    public static async Task<TestHost> StartAsync(Action<WebApplication> map, Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseTestServer();
        var directory = Path.Combine(Path.GetTempPath(), "cosmos-aspnetcore-tests-" + Guid.NewGuid().ToString("N"));
        builder.Services.AddCosmosAudit(o => ConfigureAudit(o, directory));
        builder.Services.AddAuthentication().AddCosmosBearer();
        services?.Invoke(builder.Services);
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        return new TestHost(app, directory);
    }

    // The in-memory refresh store completes synchronously, so blocking here cannot deadlock.
    public string Issue(UserContext user) => App.Services.GetRequiredService<TokenIssuer>().IssueAsync(user).GetAwaiter().GetResult().AccessToken;

    public HttpClient Client(string? token = null)
    {
        var client = App.GetTestClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
