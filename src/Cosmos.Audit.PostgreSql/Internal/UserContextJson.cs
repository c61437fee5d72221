using System.Text.Json;
using Cosmos.Audit.Users;

namespace Cosmos.Audit.PostgreSql.Internal;

/// <summary>The jsonb form of a <see cref="UserContext"/> kept with a refresh-token family.</summary>
internal static class UserContextJson
{
    public static string Serialize(UserContext user)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id", user.UserId);
            writer.WriteString("name", user.Username);
            writer.WriteStartArray("roles");
            foreach (var role in user.Roles)
            {
                writer.WriteStringValue(role);
            }

            writer.WriteEndArray();
            writer.WriteBoolean("service", user.IsServiceAccount);
            if (user.Delegation is { } delegation)
            {
                writer.WriteStartObject("delegation");
                writer.WriteString("onBehalfOf", delegation.OnBehalfOf);
                if (delegation.Reason is { } reason)
                {
                    writer.WriteString("reason", reason);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static UserContext Deserialize(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Delegation? delegation = null;
        if (root.TryGetProperty("delegation", out var d) && d.ValueKind == JsonValueKind.Object)
        {
            delegation = new Delegation(
                d.GetProperty("onBehalfOf").GetString()!,
                d.TryGetProperty("reason", out var reason) ? reason.GetString() : null);
        }

        return new UserContext(root.GetProperty("id").GetString()!, root.GetProperty("name").GetString()!)
        {
            Roles = [.. root.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!)],
            IsServiceAccount = root.GetProperty("service").GetBoolean(),
            Delegation = delegation,
        };
    }
}
