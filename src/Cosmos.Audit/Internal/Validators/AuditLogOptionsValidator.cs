using Cosmos.Audit.Log;
using Microsoft.Extensions.Options;

namespace Cosmos.Audit.Internal.Validators;

/// <summary>The rules of the audit log and pipeline options that DataAnnotations cannot say (time spans, paths that must differ,
/// checkpoint keys that must load and must not reuse a JWT or author-string secret); checked at start, each failure naming the option.</summary>
internal sealed class AuditLogOptionsValidator : IValidateOptions<CosmosAuditOptions>
{
    public ValidateOptionsResult Validate(string? name, CosmosAuditOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.AuditLog is { File: not null, DeadLetter: not null } log)
        {
            var file = log.File;
            if (file.GatherWindow < TimeSpan.Zero || file.GatherWindow > TimeSpan.FromMilliseconds(10))
            {
                failures.Add($"CosmosAuditOptions.AuditLog.File.GatherWindow must be between 0 and 10 ms (was {file.GatherWindow}).");
            }

            if (log.DeadLetterReplayInterval <= TimeSpan.Zero && log.DeadLetterReplayInterval != Timeout.InfiniteTimeSpan)
            {
                failures.Add($"CosmosAuditOptions.AuditLog.DeadLetterReplayInterval must be positive or Timeout.InfiniteTimeSpan (was {log.DeadLetterReplayInterval}).");
            }

            if (!string.IsNullOrWhiteSpace(log.Path) && !string.IsNullOrWhiteSpace(log.DeadLetter.Directory)
                && string.Equals(Path.GetFullPath(log.Path), Path.GetFullPath(log.DeadLetter.Directory), StringComparison.Ordinal))
            {
                failures.Add("CosmosAuditOptions.AuditLog.DeadLetter.Directory must differ from CosmosAuditOptions.AuditLog.Path.");
            }

            if (file.Checkpoints is { } checkpoints)
            {
                ValidateCheckpoints(options, checkpoints, failures);
            }
        }

        if (options.Pipeline?.SecurityEvents is { } security && (security.Window < TimeSpan.FromSeconds(1) || security.Window > TimeSpan.FromHours(1)))
        {
            failures.Add($"CosmosAuditOptions.Pipeline.SecurityEvents.Window must be between 1 second and 1 hour (was {security.Window}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateCheckpoints(CosmosAuditOptions options, AuditCheckpointOptions checkpoints, List<string> failures)
    {
        if (checkpoints.Interval <= TimeSpan.Zero && checkpoints.Interval != Timeout.InfiniteTimeSpan)
        {
            failures.Add($"CosmosAuditOptions.AuditLog.File.Checkpoints.Interval must be positive or Timeout.InfiniteTimeSpan (was {checkpoints.Interval}).");
        }

        if (checkpoints.Keys is not { Count: > 0 })
        {
            return;
        }

        try
        {
            using var signer = new AuditCheckpointSigner(checkpoints);
        }
        catch (ArgumentException ex)
        {
            failures.Add("CosmosAuditOptions.AuditLog.File.Checkpoints.Keys: " + ex.Message);
            return;
        }

        // A checkpoint key that is also a token or author key would let whoever holds that key forge checkpoints.
        foreach (var key in checkpoints.Keys)
        {
            if (key.Algorithm == AuditCheckpointAlgorithm.HmacSha256
                && options.SigningKeys.Any(k => string.Equals(k.Secret, key.Secret, StringComparison.Ordinal)))
            {
                failures.Add($"CosmosAuditOptions.AuditLog.File.Checkpoints.Keys: the key '{key.Id}' reuses a secret of CosmosAuditOptions.SigningKeys; checkpoint keys must be distinct from JWT and author-string keys.");
            }
        }
    }
}
