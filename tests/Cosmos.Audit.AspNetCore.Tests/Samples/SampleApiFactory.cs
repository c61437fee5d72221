using System.Buffers.Text;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Cosmos.Audit.AspNetCore.Tests.Samples;

/// <summary>Hosts the Web API sample in memory with a known signing secret, a manual clock, a temporary audit directory
/// and a reporter that records access failures.</summary>
public sealed class SampleApiFactory : WebApplicationFactory<Program>
{
    public const string Issuer = "http://127.0.0.1:5080";
    public const string Audience = "cosmos-webapi-sample";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cosmos-webapi-tests-" + Guid.NewGuid().ToString("N"));

    public static byte[] Secret { get; } = Enumerable.Range(0, 32).Select(i => (byte)(40 + (i * 3))).ToArray();

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));

    // The access-token subkey is derived from the configured secret exactly as the SDK does (HKDF-SHA256, purpose label),
    // so tests can sign tokens the validator would accept except for the one property each test breaks.
    public static byte[] TokenKey { get; } =
        HKDF.DeriveKey(HashAlgorithmName.SHA256, Secret, 32, salt: [], info: Encoding.UTF8.GetBytes("cosmos.audit.access-token.v1"));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Audit:SigningKey", Convert.ToBase64String(Secret));
        builder.UseSetting("Audit:DataDirectory", _directory);
        builder.ConfigureTestServices(services =>
        {
            services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Time));
        });
    }

    public async Task<string> SignInAsync(string username)
    {
        using var client = CreateClient();
        using var response = await client.PostAsJsonAsync("/token", new { username, password = username + "-demo" });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        return (string)body!["access_token"]!;
    }

    public HttpClient CreateClient(string? token)
    {
        var client = CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public string SignHs256(string headerJson, JsonObject? payload = null)
    {
        var now = Time.GetUtcNow().ToUnixTimeSeconds();
        payload ??= new JsonObject
        {
            ["iss"] = Issuer,
            ["aud"] = Audience,
            ["user_id"] = "alice123",
            ["name"] = "alice",
            ["role"] = new JsonArray("editor"),
            ["iat"] = now,
            ["exp"] = now + 900,
        };
        var input = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(headerJson)) + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        return input + "." + Base64Url.EncodeToString(HMACSHA256.HashData(TokenKey, Encoding.ASCII.GetBytes(input)));
    }

    /// <summary>The audit log's records of <paramref name="action"/> (raw JSON lines), read while the host keeps writing.</summary>
    public async Task<IReadOnlyList<string>> AuditRecordsAsync(string action)
    {
        var path = Path.Combine(_directory, "audit.jsonl");
        if (!File.Exists(path))
        {
            return [];
        }

        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var records = new List<string>();
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.Contains($"\"action\":\"{action}\"", StringComparison.Ordinal))
            {
                records.Add(line);
            }
        }

        return records;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
