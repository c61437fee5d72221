using System.Diagnostics.Metrics;
using Cosmos.Audit;
using Cosmos.Audit.Log;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the audit log: the hash-chained file sink, the dead-letter queue, the publisher and background replay.</summary>
public static partial class CosmosAuditServiceCollectionExtensions
{
    static partial void AddAuditLog(IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CosmosAuditOptions>, AuditLogOptionsValidator>());
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<CosmosAuditOptions>>().Value.AuditLog;
            return AuditLogFile.Create(
                options.Path,
                new AuditLogFileOptions { MaxBatchSize = options.MaxBatchSize, FlushToDisk = options.FlushToDisk },
                sp.GetService<ILogger<AuditLogFile>>());
        });

        // A host that registers its own IAuditSink before AddCosmosAudit replaces the file log.
        services.TryAddSingleton<IAuditSink>(sp => sp.GetRequiredService<AuditLogFile>());
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<CosmosAuditOptions>>().Value.AuditLog;
            return new AuditDeadLetterQueue(
                new AuditDeadLetterQueueOptions
                {
                    Directory = options.DeadLetterDirectory,
                    MaxBatchSize = options.MaxBatchSize,
                    FlushToDisk = options.FlushToDisk,
                    ReplayConcurrency = options.ReplayConcurrency,
                },
                sp.GetRequiredService<TimeProvider>(),
                sp.GetService<IMeterFactory>(),
                sp.GetService<ILogger<AuditDeadLetterQueue>>());
        });
        services.TryAddSingleton(sp => new AuditPublisher(
            sp.GetRequiredService<IAuditSink>(),
            sp.GetRequiredService<AuditDeadLetterQueue>(),
            sp.GetService<IMeterFactory>(),
            sp.GetService<ILogger<AuditPublisher>>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, AuditDeadLetterReplayService>());
    }
}
