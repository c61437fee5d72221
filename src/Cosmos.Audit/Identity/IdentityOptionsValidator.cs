using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Cosmos.Audit.Identity;

/// <summary>Checks the identity settings of <see cref="CosmosAuditOptions"/> at start; each failure names the option.</summary>
internal sealed class IdentityOptionsValidator : IValidateOptions<CosmosAuditOptions>
{
    internal const int MinimumSecretBytes = 32;

    private static readonly HashSet<string> s_hmacAlgorithms =
        [SecurityAlgorithms.HmacSha256, SecurityAlgorithms.HmacSha384, SecurityAlgorithms.HmacSha512];

    private static readonly HashSet<string> s_rsaAlgorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
    ];

    internal static bool IsHmac(string algorithm) => s_hmacAlgorithms.Contains(algorithm);

    internal static bool IsRsa(string algorithm) => s_rsaAlgorithms.Contains(algorithm);

    public ValidateOptionsResult Validate(string? name, CosmosAuditOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        ValidateKeys(options, failures);
        ValidateJwt(options.Jwt, failures);
        if (options.AuthorStringMaxAge is { } maxAge && maxAge <= TimeSpan.Zero)
        {
            failures.Add($"{nameof(CosmosAuditOptions)}.{nameof(CosmosAuditOptions.AuthorStringMaxAge)} must be positive when set (was {maxAge}).");
        }

        if (options.RolePermissions is null)
        {
            failures.Add($"{nameof(CosmosAuditOptions)}.{nameof(CosmosAuditOptions.RolePermissions)} must not be null.");
        }
        else
        {
            foreach (var (role, permissions) in options.RolePermissions)
            {
                if (permissions is null || permissions.Any(string.IsNullOrEmpty))
                {
                    failures.Add($"{nameof(CosmosAuditOptions)}.{nameof(CosmosAuditOptions.RolePermissions)}[{role}] must list non-empty permission names.");
                }
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateKeys(CosmosAuditOptions options, List<string> failures)
    {
        const string Keys = $"{nameof(CosmosAuditOptions)}.{nameof(CosmosAuditOptions.SigningKeys)}";
        if (options.SigningKeys is null || options.SigningKeys.Count == 0)
        {
            failures.Add($"{Keys} must contain at least one key (id and base64 secret of at least {MinimumSecretBytes} bytes).");
            return;
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.SigningKeys.Count; i++)
        {
            var key = options.SigningKeys[i];
            if (key is null || !IsValidKeyId(key.Id))
            {
                failures.Add($"{Keys}[{i}].{nameof(AuditSigningKey.Id)} must be 1-64 letters, digits, '-' or '_'.");
                continue;
            }

            if (!ids.Add(key.Id))
            {
                failures.Add($"{Keys}[{i}].{nameof(AuditSigningKey.Id)} '{key.Id}' is listed twice.");
            }

            if (!TryDecodeSecret(key.Secret, out var secret))
            {
                failures.Add($"{Keys}[{i}].{nameof(AuditSigningKey.Secret)} (key '{key.Id}') is not valid base64.");
            }
            else if (secret.Length < MinimumSecretBytes)
            {
                failures.Add($"{Keys}[{i}].{nameof(AuditSigningKey.Secret)} (key '{key.Id}') is too short: {secret.Length} bytes, at least {MinimumSecretBytes} required.");
            }
        }

        if (options.ActiveSigningKeyId is { } active && !ids.Contains(active))
        {
            failures.Add($"{nameof(CosmosAuditOptions)}.{nameof(CosmosAuditOptions.ActiveSigningKeyId)} '{active}' is not the id of a key in {Keys}.");
        }
    }

    private static void ValidateJwt(AuditJwtOptions? jwt, List<string> failures)
    {
        const string Jwt = $"{nameof(CosmosAuditOptions)}.{nameof(CosmosAuditOptions.Jwt)}";
        if (jwt is null)
        {
            failures.Add($"{Jwt} must not be null.");
            return;
        }

        if (string.IsNullOrWhiteSpace(jwt.Issuer))
        {
            failures.Add($"{Jwt}.{nameof(AuditJwtOptions.Issuer)} is required.");
        }

        if (string.IsNullOrWhiteSpace(jwt.Audience))
        {
            failures.Add($"{Jwt}.{nameof(AuditJwtOptions.Audience)} is required.");
        }

        if (jwt.ValidAlgorithms is null || jwt.ValidAlgorithms.Count == 0)
        {
            failures.Add($"{Jwt}.{nameof(AuditJwtOptions.ValidAlgorithms)} must list at least one algorithm.");
        }
        else
        {
            foreach (var algorithm in jwt.ValidAlgorithms)
            {
                if (algorithm is null || !(IsHmac(algorithm) || IsRsa(algorithm)))
                {
                    failures.Add($"{Jwt}.{nameof(AuditJwtOptions.ValidAlgorithms)} contains '{algorithm}'; allowed are HS256/384/512, RS256/384/512 and PS256/384/512 ('none' never).");
                }
                else if (IsRsa(algorithm) && (jwt.RsaPublicKeys is null || jwt.RsaPublicKeys.Count == 0))
                {
                    failures.Add($"{Jwt}.{nameof(AuditJwtOptions.ValidAlgorithms)} contains '{algorithm}' but {Jwt}.{nameof(AuditJwtOptions.RsaPublicKeys)} is empty.");
                }
            }
        }

        for (var i = 0; i < (jwt.RsaPublicKeys?.Count ?? 0); i++)
        {
            var key = jwt.RsaPublicKeys![i];
            if (key is null || !IsValidKeyId(key.Id))
            {
                failures.Add($"{Jwt}.{nameof(AuditJwtOptions.RsaPublicKeys)}[{i}].{nameof(RsaPublicKeyOptions.Id)} must be 1-64 letters, digits, '-' or '_'.");
                continue;
            }

            try
            {
                using var rsa = RSA.Create();
                rsa.ImportFromPem(key.PublicKeyPem);
                if (rsa.KeySize < 2048)
                {
                    failures.Add($"{Jwt}.{nameof(AuditJwtOptions.RsaPublicKeys)}[{i}] (key '{key.Id}') has {rsa.KeySize} bits; at least 2048 required.");
                }
            }
            catch (Exception ex) when (ex is ArgumentException or CryptographicException)
            {
                failures.Add($"{Jwt}.{nameof(AuditJwtOptions.RsaPublicKeys)}[{i}].{nameof(RsaPublicKeyOptions.PublicKeyPem)} (key '{key.Id}') is not a PEM RSA public key.");
            }
        }

        if (jwt.ClockSkew < TimeSpan.Zero || jwt.ClockSkew > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{Jwt}.{nameof(AuditJwtOptions.ClockSkew)} must be between 0 and 5 minutes (was {jwt.ClockSkew}).");
        }

        if (jwt.MaxTokenSizeInBytes is < 256 or > 1024 * 1024)
        {
            failures.Add($"{Jwt}.{nameof(AuditJwtOptions.MaxTokenSizeInBytes)} must be between 256 and 1048576 (was {jwt.MaxTokenSizeInBytes}).");
        }

        if (jwt.AccessTokenLifetime <= TimeSpan.Zero)
        {
            failures.Add($"{Jwt}.{nameof(AuditJwtOptions.AccessTokenLifetime)} must be positive (was {jwt.AccessTokenLifetime}).");
        }

        if (jwt.RefreshTokenLifetime <= jwt.AccessTokenLifetime)
        {
            failures.Add($"{Jwt}.{nameof(AuditJwtOptions.RefreshTokenLifetime)} must be longer than {nameof(AuditJwtOptions.AccessTokenLifetime)} (was {jwt.RefreshTokenLifetime}).");
        }

        if (jwt.ValidationCacheDuration < TimeSpan.Zero || jwt.ValidationCacheDuration > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{Jwt}.{nameof(AuditJwtOptions.ValidationCacheDuration)} must be between 0 and 5 minutes (was {jwt.ValidationCacheDuration}).");
        }

        if (jwt.ValidationCacheSize < 1)
        {
            failures.Add($"{Jwt}.{nameof(AuditJwtOptions.ValidationCacheSize)} must be at least 1 (was {jwt.ValidationCacheSize}).");
        }

        var claims = jwt.Claims;
        if (claims is null || claims.UserId is not { Count: > 0 } || claims.Username is null || claims.Roles is null)
        {
            failures.Add($"{Jwt}.{nameof(AuditJwtOptions.Claims)} must name at least one user id claim and non-null username and role claim lists.");
        }
    }

    internal static bool IsValidKeyId(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 64)
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    internal static bool TryDecodeSecret(string? secret, out byte[] bytes)
    {
        bytes = [];
        if (string.IsNullOrEmpty(secret))
        {
            return true;
        }

        var buffer = new byte[secret.Length];
        if (!Convert.TryFromBase64String(secret, buffer, out var written))
        {
            return false;
        }

        bytes = buffer.AsSpan(0, written).ToArray();
        CryptographicOperations.ZeroMemory(buffer);
        return true;
    }
}
