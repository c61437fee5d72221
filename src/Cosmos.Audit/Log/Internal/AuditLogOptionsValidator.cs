using Microsoft.Extensions.Options;

namespace Cosmos.Audit.Log.Internal;

/// <summary>Validates <see cref="CosmosAuditOptions.AuditLog"/> at start; each failure names the option.</summary>
internal sealed class AuditLogOptionsValidator : IValidateOptions<CosmosAuditOptions>
{
    public ValidateOptionsResult Validate(string? name, CosmosAuditOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var log = options.AuditLog;
        if (log is null)
        {
            return ValidateOptionsResult.Fail("CosmosAuditOptions.AuditLog must not be null.");
        }

        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(log.Path))
        {
            failures.Add("CosmosAuditOptions.AuditLog.Path must name a file.");
        }

        if (string.IsNullOrWhiteSpace(log.DeadLetterDirectory))
        {
            failures.Add("CosmosAuditOptions.AuditLog.DeadLetterDirectory must name a directory.");
        }

        if (log.MaxBatchSize is < 1 or > 1_048_576)
        {
            failures.Add($"CosmosAuditOptions.AuditLog.MaxBatchSize must be between 1 and 1048576 (was {log.MaxBatchSize}).");
        }

        if (log.ReplayConcurrency is < 1 or > 4096)
        {
            failures.Add($"CosmosAuditOptions.AuditLog.ReplayConcurrency must be between 1 and 4096 (was {log.ReplayConcurrency}).");
        }

        if (log.GatherWindow < TimeSpan.Zero || log.GatherWindow > TimeSpan.FromMilliseconds(10))
        {
            failures.Add($"CosmosAuditOptions.AuditLog.GatherWindow must be between 0 and 10 ms (was {log.GatherWindow}).");
        }

        if (log.DeadLetterReplayInterval <= TimeSpan.Zero && log.DeadLetterReplayInterval != Timeout.InfiniteTimeSpan)
        {
            failures.Add($"CosmosAuditOptions.AuditLog.DeadLetterReplayInterval must be positive or Timeout.InfiniteTimeSpan (was {log.DeadLetterReplayInterval}).");
        }

        if (!string.IsNullOrWhiteSpace(log.Path) && !string.IsNullOrWhiteSpace(log.DeadLetterDirectory)
            && string.Equals(System.IO.Path.GetFullPath(log.Path), System.IO.Path.GetFullPath(log.DeadLetterDirectory), StringComparison.Ordinal))
        {
            failures.Add("CosmosAuditOptions.AuditLog.DeadLetterDirectory must differ from CosmosAuditOptions.AuditLog.Path.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
