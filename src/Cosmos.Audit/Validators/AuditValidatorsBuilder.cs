using Microsoft.Extensions.Compliance.Redaction;
using Microsoft.Extensions.DependencyInjection;

namespace Cosmos.Audit.Validators;

/// <summary>Declares the commit validators and their order (the order of the <c>Add</c> calls); returned by <c>AddCosmosAuditValidators</c>.</summary>
public sealed class AuditValidatorsBuilder
{
    private readonly List<Func<IServiceProvider, IAuditCommitValidator>> _factories = [];

    internal AuditValidatorsBuilder(IServiceCollection services) => Services = services;

    /// <summary>Gets the service collection the validators are registered in.</summary>
    public IServiceCollection Services { get; }

    internal IReadOnlyList<Func<IServiceProvider, IAuditCommitValidator>> Factories => _factories;

    /// <summary>Adds a validator built from the services.</summary>
    /// <param name="factory">Builds the validator once, when the pipeline is first resolved.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is <see langword="null"/>.</exception>
    public AuditValidatorsBuilder Add(Func<IServiceProvider, IAuditCommitValidator> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _factories.Add(factory);
        return this;
    }

    /// <summary>Adds a validator instance.</summary>
    /// <param name="validator">The validator.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="validator"/> is <see langword="null"/>.</exception>
    public AuditValidatorsBuilder Add(IAuditCommitValidator validator)
    {
        ArgumentNullException.ThrowIfNull(validator);
        return Add(_ => validator);
    }

    /// <summary>Adds the <c>rule</c> validator over host predicates.</summary>
    /// <param name="rules">The rules, checked in order.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="rules"/> is <see langword="null"/>.</exception>
    public AuditValidatorsBuilder AddRules(params AuditCommitRule[] rules)
    {
        var validator = new RuleCommitValidator(rules);
        return Add(validator);
    }

    /// <summary>Adds the <c>tamper</c> validator: requests carrying audit fields, and stale versions, are refused.</summary>
    /// <returns>This builder.</returns>
    public AuditValidatorsBuilder AddTamper() => Add(new TamperCommitValidator());

    /// <summary>Adds a <c>schema</c> validator: documents of <paramref name="collection"/> must match <paramref name="schemaJson"/>.</summary>
    /// <param name="collection">The collection.</param>
    /// <param name="schemaJson">The JSON Schema text; it is parsed now, so a bad schema fails at registration.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="collection"/> is empty or the schema is not valid.</exception>
    public AuditValidatorsBuilder AddSchema(string collection, string schemaJson) => Add(new SchemaCommitValidator(collection, schemaJson));

    /// <summary>Adds the <c>pii</c> validator; it redacts through the registered <c>IRedactorProvider</c>, if any.</summary>
    /// <param name="configure">Sets the kinds, the default action and the per collection and field rules.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">A rule is not valid (checked now, at registration).</exception>
    public AuditValidatorsBuilder AddPii(Action<AuditPiiOptions>? configure = null)
    {
        var options = new AuditPiiOptions();
        configure?.Invoke(options);

        // Built once now to validate the rules at registration; rebuilt with the host's redactors when resolved.
        _ = new PiiCommitValidator(options);
        return Add(sp => new PiiCommitValidator(options, sp.GetService<IRedactorProvider>()));
    }
}
