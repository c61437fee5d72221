using System.Diagnostics;
using System.Text.Encodings.Web;
using Cosmos.Audit.AspNetCore.Http;
using Cosmos.Audit.AspNetCore.Internal;
using Cosmos.Audit.AspNetCore.Telemetry;
using Cosmos.Audit.Tokens;
using Cosmos.Audit.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cosmos.Audit.AspNetCore.Authentication;

/// <summary>Authenticates <c>Authorization: Bearer</c> requests with the Cosmos <see cref="AccessTokenValidator"/> (and its
/// validation cache), then answers challenges and denials the RFC 6750 way.</summary>
/// <remarks>
/// <para>Authenticate: no bearer token → no result (anonymous endpoints stay reachable); a rejected token → failure, remembered
/// for the challenge and reported as a failed authentication; a valid one → a <see cref="System.Security.Claims.ClaimsPrincipal"/>
/// on <c>HttpContext.User</c> and the <see cref="Users.UserContext"/> on the request, where <see cref="Users.IUserContextAccessor"/>
/// finds it.</para>
/// <para>Challenge (401): <c>WWW-Authenticate: Bearer</c>, with <c>error="invalid_token"</c> and a description when a token was
/// presented and rejected (RFC 6750 §3.1 sends no error code to a request without credentials). Forbid (403):
/// <c>error="insufficient_scope"</c> with the missing permission as <c>scope</c>. Both carry an RFC 9457 problem body.</para>
/// </remarks>
internal sealed class CosmosBearerHandler(
    IOptionsMonitor<CosmosBearerOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AccessTokenValidator validator,
    IAccessAuditReporter reporter,
    AuditAspNetCoreMetrics metrics) : AuthenticationHandler<CosmosBearerOptions>(options, logger, encoder)
{
    private const string BearerPrefix = "Bearer ";

    // Handlers are created per request, so what this request's authentication found can wait here for its challenge.
    private TokenFailureReason? _failure;
    private bool _rejected;

    private new CosmosBearerEvents Events
    {
        get => (CosmosBearerEvents)base.Events!;
        set => base.Events = value;
    }

    protected override Task<object> CreateEventsAsync() => Task.FromResult<object>(new CosmosBearerEvents());

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var events = Events;
        string? hookToken = null;
        if (events.HasMessageReceivedHook)
        {
            var received = new CosmosBearerMessageReceivedContext(Context, Scheme, Options);
            await events.MessageReceived(received).ConfigureAwait(false);
            if (received.Result is { } decided)
            {
                return decided;
            }

            hookToken = received.Token;
        }

        if (!TryStartValidation(hookToken, out var pending, out var activity))
        {
            metrics.Authenticated("no_token", cacheHit: false);
            return AuthenticateResult.NoResult();
        }

        using var span = activity;
        var result = await pending.ConfigureAwait(false);
        if (result is not { IsValid: true, User: { } user })
        {
            _failure = result.Failure;
            _rejected = true;
            var code = result.Failure.ToErrorCode();
            metrics.Authenticated(code, cacheHit: false);
            span?.SetStatus(ActivityStatusCode.Error, code);
            AspNetCoreLog.BearerTokenRejected(Logger, Request.Method, Request.Path, result.Failure);
            if (Options.ReportFailedAuthentications)
            {
                await reporter.AuthenticationFailedAsync(Context, result.Failure).ConfigureAwait(false);
            }

            var failed = new CosmosBearerAuthenticationFailedContext(Context, Scheme, Options, result.Failure);
            await events.AuthenticationFailed(failed).ConfigureAwait(false);
            return failed.Result ?? AuthenticateResult.Fail(BearerChallenge.Describe(result.Failure));
        }

        metrics.Authenticated("success", result.FromCache);
        span?.SetTag("cosmos.audit.cache_hit", result.FromCache);

        // A principal is built per request, never shared: claims transformations and hooks may change the one they are given.
        var principal = UserClaims.CreatePrincipal(user, Scheme.Name);
        var properties = new AuthenticationProperties { ExpiresUtc = result.ExpiresAt };
        if (!events.HasTokenValidatedHook)
        {
            AttachUser(user);
            return AuthenticateResult.Success(new AuthenticationTicket(principal, properties, Scheme.Name));
        }

        var validated = new CosmosBearerTokenValidatedContext(Context, Scheme, Options, user) { Principal = principal, Properties = properties };
        await events.TokenValidated(validated).ConfigureAwait(false);
        if (validated.Result is { Succeeded: false } refused)
        {
            _rejected = refused.Failure is not null;
            return refused;
        }

        // The user is attached only once nothing can refuse the request any more.
        AttachUser(user);
        if (validated.Result is { } accepted)
        {
            return accepted;
        }

        validated.Success();
        return validated.Result!;
    }

    // Synchronous, so the token can stay a slice of the Authorization header: a validation cache hit copies nothing.
    private bool TryStartValidation(string? hookToken, out ValueTask<AccessTokenValidationResult> pending, out Activity? activity)
    {
        var token = hookToken is null ? ReadBearerToken() : hookToken.AsSpan();
        if (token.IsEmpty)
        {
            pending = default;
            activity = null;
            return false;
        }

        activity = AuditAspNetCoreMetrics.ActivitySource.StartActivity(AuditAspNetCoreTelemetry.AuthenticateSpan);
        try
        {
            pending = validator.ValidateAsync(token, Context.RequestAborted);
        }
        catch
        {
            activity?.Dispose();
            throw;
        }

        return true;
    }

    private ReadOnlySpan<char> ReadBearerToken()
    {
        string? authorization = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(authorization) || !authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return default;
        }

        return authorization.AsSpan(BearerPrefix.Length).Trim();
    }

    private void AttachUser(UserContext user)
    {
        Context.Features.Set(new UserContextFeature(user));
        if (RequestUserSlot.Current is { } slot)
        {
            slot.User = user;
        }
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        var challenge = new CosmosBearerChallengeContext(Context, Scheme, Options, properties, _failure);
        await Events.Challenge(challenge).ConfigureAwait(false);
        if (challenge.Handled)
        {
            return;
        }

        var error = _rejected ? BearerChallenge.InvalidToken : null;
        var description = _failure is { } failure && Options.IncludeErrorDescription ? BearerChallenge.Describe(failure) : null;

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        ProblemResponse.AddChallenge(Context, BearerChallenge.Build(Options.Realm, error, description, scope: null));
        metrics.Challenged(error);
        AspNetCoreLog.BearerChallenge(Logger, Request.Path, error ?? "none");
        if (Options.WriteProblemDetails)
        {
            var problem = ProblemResponse.Create(
                StatusCodes.Status401Unauthorized,
                title: null,
                detail: !_rejected ? "An access token is required." : description ?? "The access token was rejected.",
                Context);
            if (_failure is { } reason)
            {
                problem.Extensions["token_error"] = reason.ToErrorCode();
            }

            await ProblemResponse.WriteAsync(Context, problem).ConfigureAwait(false);
        }
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var permission = MissingPermission.Get(Context);
        var description = permission is null ? "The caller lacks a required permission." : $"The caller lacks the permission '{permission}'.";

        Response.StatusCode = StatusCodes.Status403Forbidden;
        ProblemResponse.AddChallenge(
            Context,
            BearerChallenge.Build(Options.Realm, BearerChallenge.InsufficientScope, Options.IncludeErrorDescription ? description : null, permission));
        AspNetCoreLog.BearerForbidden(Logger, Request.Path, permission ?? "unknown");
        if (Options.WriteProblemDetails)
        {
            var problem = ProblemResponse.Create(StatusCodes.Status403Forbidden, title: null, detail: description, Context);
            if (permission is not null)
            {
                problem.Extensions["missing_permission"] = permission;
            }

            await ProblemResponse.WriteAsync(Context, problem).ConfigureAwait(false);
        }
    }
}
