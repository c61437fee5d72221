using Microsoft.Extensions.Options;

namespace Cosmos.Audit.Tokens.Internal;

/// <summary>Checks <see cref="CosmosAuditOptions.RefreshTokens"/> at start against the JWT refresh lifetime; each failure names the option.</summary>
internal sealed class RefreshTokenOptionsValidator : IValidateOptions<CosmosAuditOptions>
{
    public ValidateOptionsResult Validate(string? name, CosmosAuditOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string Option = $"{nameof(CosmosAuditOptions)}.{nameof(CosmosAuditOptions.RefreshTokens)}";
        if (options.RefreshTokens is not { } refresh)
        {
            return ValidateOptionsResult.Fail($"{Option} must not be null.");
        }

        if (refresh.AbsoluteLifetime <= TimeSpan.Zero)
        {
            return ValidateOptionsResult.Fail($"{Option}.{nameof(RefreshTokenOptions.AbsoluteLifetime)} must be positive (was {refresh.AbsoluteLifetime}).");
        }

        // A sliding lifetime longer than the family's could never be reached: the setting would silently mean less than it says.
        if (options.Jwt is { } jwt && refresh.AbsoluteLifetime < jwt.RefreshTokenLifetime)
        {
            return ValidateOptionsResult.Fail(
                $"{Option}.{nameof(RefreshTokenOptions.AbsoluteLifetime)} ({refresh.AbsoluteLifetime}) must be at least "
                + $"{nameof(CosmosAuditOptions)}.{nameof(CosmosAuditOptions.Jwt)}.{nameof(Identity.AuditJwtOptions.RefreshTokenLifetime)} ({jwt.RefreshTokenLifetime}).");
        }

        return ValidateOptionsResult.Success;
    }
}
