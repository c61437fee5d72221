using Cosmos.Audit.Validators;
using Cosmos.Audit.Validators.Internal;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the commit validators the request pipeline runs before each write.</summary>
public static partial class CosmosAuditServiceCollectionExtensions
{
    /// <summary>Declares the commit validators of the request pipeline, in the order they run (the order of the builder's <c>Add</c> calls).</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Adds the validators, for example <c>v =&gt; v.AddRules(...).AddTamper().AddSchema(...).AddPii(...)</c>.</param>
    /// <returns>The same service collection, for chaining.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">Validators were already declared (one declaration fixes one order).</exception>
    public static IServiceCollection AddCosmosAuditValidators(this IServiceCollection services, Action<AuditValidatorsBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        if (services.Any(d => d.ServiceType == typeof(ValidatorsDeclared)))
        {
            throw new InvalidOperationException("The commit validators were already declared; declare them in one AddCosmosAuditValidators call so their order is explicit.");
        }

        var builder = new AuditValidatorsBuilder(services);
        configure(builder);
        var factories = builder.Factories.ToArray();
        services.AddSingleton<ValidatorsDeclared>();
        services.RemoveAll<AuditCommitValidatorChain>();
        services.AddSingleton(sp => new AuditCommitValidatorChain(factories.Select(f => f(sp))));
        return services;
    }

    private sealed class ValidatorsDeclared;

    private static void AddValidatorDefaults(IServiceCollection services) =>
        services.TryAddSingleton(_ => new AuditCommitValidatorChain([]));
}
