using System.Text.Json.Nodes;
using Cosmos.Audit.Log;

namespace Cosmos.Audit.Tests.AuditLog;

/// <summary>Builds test events with deterministic ids and times.</summary>
internal static class AuditEvents
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static AuditEvent Make(int i, bool withDocuments = false) => new()
    {
        EventId = new Guid(i, 0x0a0d, 0x17, 1, 2, 3, 4, 5, 6, 7, 8),
        Author = $"user{i % 7} (u{i % 7})|verified|ts:2026-01-01T00:00:00Z|sig:k1.abc",
        Action = (AuditAction)(i % 4),
        Collection = "orders",
        DocumentId = $"order-{i}",
        OccurredAt = Start.AddMilliseconds(i),
        Before = withDocuments ? new JsonObject { ["total"] = i, ["status"] = "open" } : null,
        After = withDocuments ? new JsonObject { ["total"] = i + 1, ["status"] = "paid", ["note"] = "ünïcödé \"quoted\"" } : null,
    };
}
