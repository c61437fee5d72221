using System.ComponentModel.DataAnnotations;

namespace Cosmos.Audit.Identity;

/// <summary>Which JWT claims fill each <see cref="Users.UserContext"/> property; for lists, the first claim present wins.</summary>
public sealed class JwtClaimMapping
{
    /// <summary>Gets or sets the claims read for the user id.</summary>
    /// <value>The default value is <c>["user_id", "sub"]</c>.</value>
    [Required]
    public IList<string> UserId { get; set; } = ["user_id", "sub"];

    /// <summary>Gets or sets the claims read for the username; when none is present the user id is used.</summary>
    /// <value>The default value is <c>["name", "username", "preferred_username"]</c>.</value>
    [Required]
    public IList<string> Username { get; set; } = ["name", "username", "preferred_username"];

    /// <summary>Gets or sets the claims read for roles (a string or an array of strings); all present claims are merged.</summary>
    /// <value>The default value is <c>["role", "roles"]</c>.</value>
    [Required]
    public IList<string> Roles { get; set; } = ["role", "roles"];

    /// <summary>Gets or sets the boolean claim that marks a service account.</summary>
    /// <value>The default value is <c>service_account</c>.</value>
    public string ServiceAccount { get; set; } = "service_account";

    /// <summary>Gets or sets the claim naming the user a delegated call acts for.</summary>
    /// <value>The default value is <c>on_behalf_of</c>.</value>
    public string OnBehalfOf { get; set; } = "on_behalf_of";

    /// <summary>Gets or sets the claim giving the reason of a delegated call.</summary>
    /// <value>The default value is <c>delegation_reason</c>.</value>
    public string DelegationReason { get; set; } = "delegation_reason";
}
