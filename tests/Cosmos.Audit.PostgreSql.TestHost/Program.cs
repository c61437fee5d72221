// A host process for the multi-process tests: appends audit events to the PostgreSQL log concurrently and prints one line per
// acknowledged event ("ack <event id> <seq>"), so the test knows exactly which appends the log promised to keep.
// Usage: Cosmos.Audit.PostgreSql.TestHost <connection string> <host name> <event count> <concurrent appenders>
using System.Globalization;
using System.Text.Json.Nodes;
using Cosmos.Audit.Log;
using Cosmos.Audit.PostgreSql;
using Cosmos.Audit.PostgreSql.Log;
using Npgsql;

var connectionString = args[0];
var host = args[1];
var count = int.Parse(args[2], CultureInfo.InvariantCulture);
var concurrency = int.Parse(args[3], CultureInfo.InvariantCulture);

await using var dataSource = NpgsqlDataSource.Create(connectionString);
await using var log = new PostgreSqlAuditLog(dataSource, new AuditPostgreSqlOptions { MaxBatchSize = 500 });
var output = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = false };
var outputGate = new object();
var next = -1;

Console.Error.WriteLine($"{host} ready");
await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
{
    int i;
    while ((i = Interlocked.Increment(ref next)) < count)
    {
        var auditEvent = AuditEvent.Create(
            AuditAction.Update, "orders", $"{host}-{i}", $"{host} (svc_{host}) [service]|verified|ts:x|sig:y",
            new JsonObject { ["n"] = i - 1 }, new JsonObject { ["n"] = i, ["host"] = host });
        var seq = await log.AppendAsync(auditEvent);
        lock (outputGate)
        {
            output.Write("ack ");
            output.Write(auditEvent.EventId.ToString("D"));
            output.Write(' ');
            output.WriteLine(seq.ToString(CultureInfo.InvariantCulture));

            // Flushed per acknowledgement: a killed host has printed every append the log confirmed to it.
            output.Flush();
        }
    }
})));
output.WriteLine("done");
output.Flush();
