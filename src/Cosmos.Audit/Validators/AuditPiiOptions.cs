namespace Cosmos.Audit.Validators;

/// <summary>Settings of the <c>pii</c> validator (<see cref="PiiCommitValidator"/>).</summary>
public sealed class AuditPiiOptions
{
    /// <summary>Gets or sets the kinds of personal data to look for.</summary>
    /// <value>The default value is <see cref="AuditPiiKinds.All"/>.</value>
    public AuditPiiKinds Kinds { get; set; } = AuditPiiKinds.All;

    /// <summary>Gets or sets the action where no rule matches.</summary>
    /// <value>The default value is <see cref="AuditPiiAction.Refuse"/>.</value>
    public AuditPiiAction DefaultAction { get; set; } = AuditPiiAction.Refuse;

    /// <summary>Gets or sets the per collection and field actions; the first matching rule wins.</summary>
    /// <value>The default value is an empty list.</value>
    public IList<AuditPiiRule> Rules { get; set; } = [];
}
