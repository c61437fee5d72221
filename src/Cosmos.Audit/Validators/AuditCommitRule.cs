namespace Cosmos.Audit.Validators;

/// <summary>A host rule over a write (user, collection, before, after): a name, a predicate that must hold, and the reason given when it does not.</summary>
/// <param name="Name">The rule's name, reported in the refusal (for example <c>orders-total-non-negative</c>).</param>
/// <param name="Allows">Returns <see langword="true"/> when the write may go on.</param>
/// <param name="Reason">Why the write is refused when <paramref name="Allows"/> returns <see langword="false"/>.</param>
public sealed record AuditCommitRule(string Name, Func<AuditCommitContext, bool> Allows, string Reason);
