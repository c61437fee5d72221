using Cosmos.Audit.AspNetCore.Http;
using Cosmos.Audit.AspNetCore.Internal;
using Cosmos.Audit.AspNetCore.Telemetry;
using Cosmos.Audit.Authorization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace Cosmos.Audit.AspNetCore.Authorization;

/// <summary>Decides <see cref="CosmosPermissionRequirement"/> with the Cosmos RBAC service, so HTTP policies and the audit pipeline
/// apply the same role → permission map.</summary>
/// <remarks>Implements <see cref="IAuthorizationHandler"/> directly: it runs for every authorized request, and the policy's
/// requirement list is walked by index instead of through a LINQ filter.</remarks>
internal sealed class CosmosPermissionAuthorizationHandler(
    IAuditAuthorizationService authorization,
    IAccessAuditReporter reporter,
    AuditAspNetCoreMetrics metrics) : IAuthorizationHandler
{
    public Task HandleAsync(AuthorizationHandlerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Requirements is not IReadOnlyList<IAuthorizationRequirement> requirements)
        {
            return HandleEachAsync(context, context.Requirements);
        }

        for (var i = 0; i < requirements.Count; i++)
        {
            if (requirements[i] is CosmosPermissionRequirement)
            {
                return HandleEachAsync(context, requirements);
            }
        }

        return Task.CompletedTask;
    }

    private async Task HandleEachAsync(AuthorizationHandlerContext context, IEnumerable<IAuthorizationRequirement> requirements)
    {
        foreach (var requirement in requirements)
        {
            if (requirement is CosmosPermissionRequirement permission)
            {
                await HandleRequirementAsync(context, permission).ConfigureAwait(false);
            }
        }
    }

    private async Task HandleRequirementAsync(AuthorizationHandlerContext context, CosmosPermissionRequirement requirement)
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
