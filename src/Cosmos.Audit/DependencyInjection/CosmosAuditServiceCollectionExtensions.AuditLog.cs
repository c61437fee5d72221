using System.Diagnostics.Metrics;
using Cosmos.Audit;
using Cosmos.Audit.Authorization;
using Cosmos.Audit.Authors;
using Cosmos.Audit.Log;
using Cosmos.Audit.Pipeline;
using Cosmos.Audit.Pipeline.Internal;
using Cosmos.Audit.Stamping;
using Cosmos.Audit.Telemetry;
using Cosmos.Audit.Tokens;
using Cosmos.Audit.Users;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the audit log (hash-chained file sink, dead-letter queue, publisher, background replay) and the request pipeline.</summary>
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
                new AuditLogFileOptions { MaxBatchSize = options.MaxBatchSize, FlushToDisk = options.FlushToDisk, GatherWindow = options.GatherWindow },
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
        services.TryAddSingleton(sp => new AuditTelemetryInstruments(sp.GetService<IMeterFactory>()));
        services.TryAddSingleton<IAuditSecurityEventSink>(sp => new AuditSecurityEventRecorder(
            sp.GetRequiredService<AuthorStringSigner>(),
            sp.GetRequiredService<AuditPublisher>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<CosmosAuditOptions>>().Value.Pipeline.SecurityEvents,
            sp.GetRequiredService<AuditTelemetryInstruments>()));

        // The request pipeline needs the host's IAuditDocumentStore (InMemoryAuditDocumentStore for tests and samples).
        services.TryAddSingleton<IAuditPipeline>(sp => new AuditPipeline(
            sp.GetRequiredService<AccessTokenValidator>(),
            sp.GetRequiredService<IUserContextAccessor>(),
            sp.GetRequiredService<IAuditAuthorizationService>(),
            sp.GetRequiredService<AuditStamper>(),
            sp.GetRequiredService<IAuditDocumentStore>(),
            sp.GetRequiredService<AuthorStringSigner>(),
            sp.GetRequiredService<AuditPublisher>(),
            sp.GetRequiredService<TimeProvider>()));
    }
}
