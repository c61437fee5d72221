namespace Cosmos.Audit.Validators;

/// <summary>One reason a validator refused a write, located in the document by a JSON pointer (RFC 6901).</summary>
/// <param name="Location">Where in the document, for example <c>/customer/email</c>; empty for the whole document.</param>
/// <param name="Message">What is wrong; never contains the refused value itself.</param>
public readonly record struct AuditValidationError(string Location, string Message)
{
    /// <inheritdoc />
    public override string ToString() => (Location.Length == 0 ? "(document)" : Location) + ": " + Message;
}
