namespace Cosmos.Audit.Validators;

/// <summary>The <c>rule</c> validator: the host's <see cref="AuditCommitRule"/> predicates, in order; the first that does not hold refuses.</summary>
public sealed class RuleCommitValidator : IAuditCommitValidator
{
    private readonly AuditCommitRule[] _rules;

    /// <summary>Creates the validator over <paramref name="rules"/>.</summary>
    /// <param name="rules">The rules, checked in order.</param>
    /// <exception cref="ArgumentNullException"><paramref name="rules"/> or one of them is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A rule has no name or reason (the message names its index).</exception>
    public RuleCommitValidator(IEnumerable<AuditCommitRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        _rules = [.. rules];
        for (var i = 0; i < _rules.Length; i++)
        {
            var rule = _rules[i] ?? throw new ArgumentNullException(nameof(rules), $"The rule at index {i} is null.");
            if (string.IsNullOrEmpty(rule.Name) || string.IsNullOrEmpty(rule.Reason) || rule.Allows is null)
            {
                throw new ArgumentException($"The rule at index {i} needs a name, a predicate and a reason.", nameof(rules));
            }
        }
    }

    /// <inheritdoc />
    public string Name => "rule";

    /// <inheritdoc />
    public ValueTask<AuditValidationVerdict> ValidateAsync(AuditCommitContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var rule in _rules)
        {
            if (!rule.Allows(context))
            {
                return ValueTask.FromResult(AuditValidationVerdict.Refuse(Name, $"rule '{rule.Name}': {rule.Reason}"));
            }
        }

        return ValueTask.FromResult(AuditValidationVerdict.Allow(Name));
    }
}
