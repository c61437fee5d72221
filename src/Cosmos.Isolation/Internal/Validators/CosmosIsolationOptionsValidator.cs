using Cosmos.Core;
using Microsoft.Extensions.Options;

namespace Cosmos.Isolation.Internal.Validators;

/// <summary>Cross-field and declaration rules that DataAnnotations cannot express; every message names the option or node.</summary>
internal sealed class CosmosIsolationOptionsValidator : IValidateOptions<CosmosIsolationOptions>
{
    public ValidateOptionsResult Validate(string? name, CosmosIsolationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        ValidateSettings(options, failures);
        ValidateDeclarations(options.Nodes, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    internal static void ValidateSettings(CosmosIsolationOptions options, List<string> failures)
    {
        if (!(options.ManualThreshold < options.HealingThreshold))
        {
            failures.Add($"CosmosIsolationOptions.ManualThreshold ({options.ManualThreshold}) must be below CosmosIsolationOptions.HealingThreshold ({options.HealingThreshold}).");
        }

        if (options.WindowDuration <= TimeSpan.Zero || options.WindowDuration > TimeSpan.FromDays(1))
        {
            failures.Add($"CosmosIsolationOptions.WindowDuration must be in (0, 1 day]; it is {options.WindowDuration}.");
        }

        if (options.EvaluationInterval <= TimeSpan.Zero || options.EvaluationInterval > TimeSpan.FromHours(1))
        {
            failures.Add($"CosmosIsolationOptions.EvaluationInterval must be in (0, 1 hour]; it is {options.EvaluationInterval}.");
        }

        if (options.Recovery is null)
        {
            failures.Add("CosmosIsolationOptions.Recovery is missing.");
        }
        else if (options.Recovery.ProbeTimeout <= TimeSpan.Zero || options.Recovery.ProbeTimeout > TimeSpan.FromHours(1))
        {
            failures.Add($"CosmosIsolationOptions.Recovery.ProbeTimeout must be in (0, 1 hour]; it is {options.Recovery.ProbeTimeout}.");
        }

        foreach (var layer in Enum.GetValues<CosmicLayer>())
        {
            if (!options.Layers.TryGetValue(layer, out var settings) || settings is null)
            {
                failures.Add($"CosmosIsolationOptions.Layers[{layer}] is missing.");
                continue;
            }

            var prefix = $"CosmosIsolationOptions.Layers[{layer}]";
            if (settings.FailureThreshold is < 2 or > 10_000)
            {
                failures.Add($"{prefix}.FailureThreshold must be in [2, 10000]; it is {settings.FailureThreshold}.");
            }

            if (settings.BreakDuration < TimeSpan.FromMilliseconds(500) || settings.BreakDuration > TimeSpan.FromDays(1))
            {
                failures.Add($"{prefix}.BreakDuration must be in [0.5 s, 1 day]; it is {settings.BreakDuration}.");
            }

            if (settings.SlowCallThreshold <= TimeSpan.Zero && settings.SlowCallThreshold != Timeout.InfiniteTimeSpan)
            {
                failures.Add($"{prefix}.SlowCallThreshold must be positive or Timeout.InfiniteTimeSpan; it is {settings.SlowCallThreshold}.");
            }

            if (settings.RetryAttempts is < 0 or > 10)
            {
                failures.Add($"{prefix}.RetryAttempts must be in [0, 10]; it is {settings.RetryAttempts}.");
            }
        }

        foreach (var layer in options.Layers.Keys)
        {
            if (!Enum.IsDefined(layer))
            {
                failures.Add($"CosmosIsolationOptions.Layers has an entry for {(int)layer}, which is not a CosmicLayer.");
            }
        }
    }

    /// <summary>Checks ids and dependencies. Cycles are allowed: every node on a cycle depends on every other one.</summary>
    internal static void ValidateDeclarations(IEnumerable<IsolationNode> nodes, List<string> failures, ICollection<string>? existingIds = null)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        if (existingIds is not null)
        {
            ids.UnionWith(existingIds);
        }

        var position = 0;
        var declared = new List<IsolationNode>();
        foreach (var node in nodes)
        {
            if (node is null)
            {
                failures.Add($"CosmosIsolationOptions.Nodes[{position}] is null.");
            }
            else if (string.IsNullOrWhiteSpace(node.Id))
            {
                failures.Add($"CosmosIsolationOptions.Nodes[{position}]: the node id is empty.");
            }
            else if (node.Id.StartsWith('#'))
            {
                failures.Add($"Node '{node.Id}': ids may not start with '#' (reserved for unnamed graph nodes).");
            }
            else if (!ids.Add(node.Id))
            {
                failures.Add($"Node '{node.Id}' is declared more than once (duplicate id).");
            }
            else
            {
                declared.Add(node);
            }

            position++;
        }

        foreach (var node in declared)
        {
            if (!Enum.IsDefined(node.Layer))
            {
                failures.Add($"Node '{node.Id}' has layer {(int)node.Layer}, which is not a CosmicLayer (1..7).");
            }

            foreach (var dependency in node.DependsOn)
            {
                if (string.IsNullOrWhiteSpace(dependency))
                {
                    failures.Add($"Node '{node.Id}' has an empty dependency id.");
                }
                else if (string.Equals(dependency, node.Id, StringComparison.Ordinal))
                {
                    failures.Add($"Node '{node.Id}' depends on itself.");
                }
                else if (!ids.Contains(dependency))
                {
                    failures.Add($"Node '{node.Id}' depends on unknown node '{dependency}'.");
                }
            }

            var alternates = new HashSet<string>(StringComparer.Ordinal);
            foreach (var alternate in node.Alternates)
            {
                if (string.IsNullOrWhiteSpace(alternate))
                {
                    failures.Add($"Node '{node.Id}' has an empty alternate id.");
                }
                else if (string.Equals(alternate, node.Id, StringComparison.Ordinal))
                {
                    failures.Add($"Node '{node.Id}' names itself as an alternate.");
                }
                else if (!ids.Contains(alternate))
                {
                    failures.Add($"Node '{node.Id}' names unknown node '{alternate}' as an alternate.");
                }
                else if (!alternates.Add(alternate))
                {
                    failures.Add($"Node '{node.Id}' names alternate '{alternate}' more than once.");
                }
            }
        }
    }
}
