using System.Globalization;
using Cosmos.Audit.Log;

// Usage: Cosmos.Audit.LockHolder <log path> <event number>
// Prints "HELD <count>" once the log is open and the event is durable, then holds the log until a line arrives on stdin.
// Exits 3 printing "LOCKED <message>" when another writer holds the log.
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: Cosmos.Audit.LockHolder <log path> <event number>");
    return 2;
}

var number = int.Parse(args[1], CultureInfo.InvariantCulture);
AuditLogFile log;
try
{
    log = await AuditLogFile.OpenAsync(args[0], new AuditLogFileOptions { FlushToDisk = true });
}
catch (AuditLogLockedException ex)
{
    Console.WriteLine("LOCKED " + ex.Message);
    return 3;
}

await using (log)
{
    await log.AppendAsync(new AuditEvent
    {
        EventId = new Guid(number, 0x1ced, 0x17, 1, 2, 3, 4, 5, 6, 7, 8),
        Author = "holder (h1)|verified|ts:2026-01-01T00:00:00Z|sig:k1.abc",
        Action = AuditAction.Create,
        Collection = "orders",
        DocumentId = "order-" + number.ToString(CultureInfo.InvariantCulture),
        OccurredAt = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
    });
    Console.WriteLine("HELD " + log.Count.ToString(CultureInfo.InvariantCulture));
    Console.Out.Flush();
    await Console.In.ReadLineAsync();
}

return 0;
