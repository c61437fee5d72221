namespace Cosmos.Audit.Validators;

/// <summary>The <c>pii</c> action for the fields of a collection.</summary>
/// <param name="Collection">The collection, or <c>*</c> for every collection.</param>
/// <param name="Field">A JSON pointer to the field (e.g. <c>/customer/email</c>); a segment <c>*</c> matches any one segment, and a
/// pointer also covers everything below it (<c>/notes</c> covers <c>/notes/0</c>). <c>*</c> alone, or empty, covers the whole document.</param>
/// <param name="Action">What to do with personal data found there.</param>
/// <param name="Kinds">The kinds this rule covers; other kinds fall through to the next rule.</param>
public sealed record AuditPiiRule(string Collection, string Field, AuditPiiAction Action, AuditPiiKinds Kinds = AuditPiiKinds.All);
