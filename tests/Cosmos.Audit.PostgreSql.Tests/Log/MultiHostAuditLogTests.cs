using Cosmos.Audit.PostgreSql.Log;
using Cosmos.Audit.PostgreSql.Tests.Infrastructure;
using Npgsql;

namespace Cosmos.Audit.PostgreSql.Tests.Log;

/// <summary>Several host processes append to one database at once; the chain must come out whole.</summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class MultiHostAuditLogTests(PostgreSqlFixture fixture)
{
    private const int Hosts = 4;
    private const int EventsPerHost = 12_500;
    private static readonly TimeSpan HostTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task AppendAsync_FourHostProcesses50kEvents_OneChainNoGapNoDuplicateEveryAckPresent()
    {
        await using var dataSource = await fixture.CreateDatabaseAsync();
        await using var log = new PostgreSqlAuditLog(dataSource);
        await Cosmos.Audit.PostgreSql.Schema.AuditPostgreSqlSchema.ApplyAsync(dataSource);

        var hosts = Enumerable.Range(0, Hosts).Select(i => HostProcess.Start(dataSource.ConnectionString, "host" + i, EventsPerHost, 64)).ToList();
        try
        {
            foreach (var host in hosts)
            {
                await host.WaitAsync(HostTimeout);
                Assert.True(host.Completed, host.Errors);
            }

            await AssertWholeAsync(dataSource, log, hosts.SelectMany(h => h.Acknowledged).ToList(), expectedTotal: Hosts * EventsPerHost);
        }
        finally
        {
            hosts.ForEach(h => h.Dispose());
        }
    }

    [Fact]
    public async Task AppendAsync_OneHostSigkilledMidBatch_ChainStaysWholeAndEveryAckIsPresent()
    {
        const int PerHost = 5_000;
        await using var dataSource = await fixture.CreateDatabaseAsync();
        await using var log = new PostgreSqlAuditLog(dataSource);
        await Cosmos.Audit.PostgreSql.Schema.AuditPostgreSqlSchema.ApplyAsync(dataSource);

        var hosts = Enumerable.Range(0, Hosts).Select(i => HostProcess.Start(dataSource.ConnectionString, "host" + i, PerHost, 64)).ToList();
        try
        {
            var victim = hosts[0];
            using (var timeout = new CancellationTokenSource(HostTimeout))
            {
                // Kill once the victim is well into its run, with batches in flight.
                while (victim.AcknowledgedCount < PerHost / 4)
                {
                    await Task.Delay(5, timeout.Token);
                }
            }

            victim.Kill();
            await victim.WaitAsync(HostTimeout);
            Assert.False(victim.Completed);
            foreach (var host in hosts.Skip(1))
            {
                await host.WaitAsync(HostTimeout);
                Assert.True(host.Completed, host.Errors);
            }

            var acknowledged = hosts.SelectMany(h => h.Acknowledged).ToList();
            var total = await log.CountAsync();
            Assert.InRange(total, acknowledged.Count, (Hosts * PerHost) - 1);
            await AssertWholeAsync(dataSource, log, acknowledged, expectedTotal: total);
        }
        finally
        {
            hosts.ForEach(h => h.Dispose());
        }
    }

    private static async Task AssertWholeAsync(NpgsqlDataSource dataSource, PostgreSqlAuditLog log, List<Guid> acknowledged, long expectedTotal)
    {
        var verification = await log.VerifyAsync();
        Assert.True(verification.IsValid, verification.ToString());
        Assert.Equal(expectedTotal, verification.RecordCount);

        await using var command = dataSource.CreateCommand("SELECT count(*), count(DISTINCT event_id), min(seq), max(seq) FROM cosmos_audit.audit_log");
        await using (var reader = await command.ExecuteReaderAsync())
        {
            await reader.ReadAsync();
            Assert.Equal(expectedTotal, reader.GetInt64(0));
            Assert.Equal(expectedTotal, reader.GetInt64(1));
            Assert.Equal(1, reader.GetInt64(2));
            Assert.Equal(expectedTotal, reader.GetInt64(3));
        }

        Assert.Equal(acknowledged.Count, acknowledged.Distinct().Count());
        await using var present = dataSource.CreateCommand("SELECT count(*) FROM cosmos_audit.audit_log WHERE event_id = ANY(@ids)");
        present.Parameters.AddWithValue("ids", acknowledged.ToArray());
        Assert.Equal((long)acknowledged.Count, await present.ExecuteScalarAsync());
    }
}
