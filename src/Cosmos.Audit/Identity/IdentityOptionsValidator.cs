using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Cosmos.Audit.Identity;

/// <summary>Checks the identity rules of <see cref="CosmosAuditOptions"/> that DataAnnotations cannot express (lists, key material,
/// relations between fields) at start; each failure names the option. Single-field rules are attributes, checked by
/// the package's source-generated options validator (through <see cref="CosmosAuditOptions.Jwt"/> and
/// <see cref="CosmosAuditOptions.SigningKeys"/>) and are not repeated here.</summary>
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
            if (key is null)
            {
                failures.Add($"{Keys}[{i}] must not be null.");
                continue;
            }

            if (!IsValidKeyId(key.Id))
            {
                continue;
            }

            if (!ids.Add(key.Id))
            {
                failures.Add($"{Keys}[{i}].{nameof(AuditSigningKey.Id)} '{key.Id}' is listed twice.");
            }

            // An empty secret is reported by its Required attribute.
            if (string.IsNullOrEmpty(key.Secret))
            {
                continue;
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


        // A null list is reported by its Required attribute.
        if (jwt.ValidAlgorithms is { Count: 0 })
        {
            failures.Add($"{Jwt}.{nameof(AuditJwtOptions.ValidAlgorithms)} must list at least one algorithm.");
        }
        else if (jwt.ValidAlgorithms is not null)
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
            if (key is null)
            {
                failures.Add($"{Jwt}.{nameof(AuditJwtOptions.RsaPublicKeys)}[{i}] must not be null.");
                continue;
            }

            if (!IsValidKeyId(key.Id) || string.IsNullOrEmpty(key.PublicKeyPem))
            {
                // Reported by the attributes.
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

        if (jwt.RefreshTokenLifetime <= jwt.AccessTokenLifetime)
        {
            failures.Add($"{Jwt}.{nameof(AuditJwtOptions.RefreshTokenLifetime)} must be longer than {nameof(AuditJwtOptions.AccessTokenLifetime)} (was {jwt.RefreshTokenLifetime}).");
        }

        var claims = jwt.Claims;
        if (claims?.UserId is { Count: 0 })
        {
            failures.Add($"{Jwt}.{nameof(AuditJwtOptions.Claims)}.{nameof(JwtClaimMapping.UserId)} must name at least one user id claim.");
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
