using Cosmos.Audit.AspNetCore.Http;
using Cosmos.Audit.AspNetCore.Internal;
using Cosmos.Audit.AspNetCore.Telemetry;
using Cosmos.Audit.Authorization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace Cosmos.Audit.AspNetCore.Authorization;

/// <summary>Decides <see cref="CosmosPermissionRequirement"/> with the Cosmos RBAC service, so HTTP policies and the audit pipeline
/// apply the same role → permission map.</summary>
internal sealed class CosmosPermissionAuthorizationHandler(
    IAuditAuthorizationService authorization,
    IAccessAuditReporter reporter,
    AuditAspNetCoreMetrics metrics) : AuthorizationHandler<CosmosPermissionRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, CosmosPermissionRequirement requirement)
    {
        var httpContext = context.Resource as HttpContext;
        var user = httpContext?.GetUserContext() ?? UserClaims.FromPrincipal(context.User);
        if (user is null)
        {
            // Anonymous: RequireAuthenticatedUser fails too and the caller is challenged (401), which is not a permission denial.
            return;
        }

        var decision = authorization.Authorize(user, requirement.Permission);
        if (decision.IsAllowed)
        {
            context.Succeed(requirement);
            return;
        }

        context.Fail(new AuthorizationFailureReason(this, decision.Reason ?? $"The permission '{requirement.Permission}' is missing."));
        metrics.PermissionDenied(requirement.Permission);
        if (httpContext is not null)
        {
            MissingPermission.Record(httpContext, requirement.Permission);
            await reporter.PermissionDeniedAsync(httpContext, user, requirement.Permission, decision.Reason).ConfigureAwait(false);
        }
    }
}
