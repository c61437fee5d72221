using System.Diagnostics.Metrics;
using Cosmos.Audit;
using Cosmos.Audit.Internal.Validators;
using Cosmos.Audit.Authorization;
using Cosmos.Audit.Authors;
using Cosmos.Audit.Log;
using Cosmos.Audit.Pipeline;
using Cosmos.Audit.Pipeline.Internal;
using Cosmos.Audit.Stamping;
using Cosmos.Audit.Telemetry;
using Cosmos.Audit.Tokens;
using Cosmos.Audit.Users;
using Cosmos.Audit.Validators.Internal;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Cosmos.Audit.Log.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the audit log (hash-chained file sink, dead-letter queue, publisher, background replay) and the request pipeline.</summary>
public static partial class CosmosAuditServiceCollectionExtensions
{
    static partial void AddAuditLog(IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CosmosAuditOptions>, CosmosAuditOptionsDataValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CosmosAuditOptions>, AuditLogOptionsValidator>());
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<CosmosAuditOptions>>().Value.AuditLog;

            // Checkpoint sinks registered as services (e.g. a write-once store) receive checkpoints besides those in the options.
            return AuditLogFile.Create(
                options.Path,
                options.File,
                sp.GetService<ILogger<AuditLogFile>>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetServices<IAuditCheckpointSink>());
        });

        // A host that registers its own IAuditSink before AddCosmosAudit replaces the file log.
        services.TryAddSingleton<IAuditSink>(sp => sp.GetRequiredService<AuditLogFile>());
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<CosmosAuditOptions>>().Value.AuditLog;
            return new AuditDeadLetterQueue(
                options.DeadLetter,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<AuditTelemetryInstruments>(),
                ownsTelemetry: false,
                sp.GetService<ILogger<AuditDeadLetterQueue>>());
        });
        services.TryAddSingleton(sp => new AuditPublisher(
            sp.GetRequiredService<IAuditSink>(),
            sp.GetRequiredService<AuditDeadLetterQueue>(),
            sp.GetRequiredService<AuditTelemetryInstruments>(),
            ownsTelemetry: false,
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
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IAuditSecurityEventSink>(),
            sp.GetRequiredService<AuditCommitValidatorChain>(),
            sp.GetRequiredService<IOptions<CosmosAuditOptions>>().Value.Pipeline.Limits,
            sp.GetRequiredService<AuditTelemetryInstruments>()));
        AddValidatorDefaults(services);
    }
}
