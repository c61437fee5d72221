namespace Cosmos.Audit.Validators;

/// <summary>What the <c>pii</c> validator does with personal data found in a field.</summary>
public enum AuditPiiAction
{
    /// <summary>Refuse the write; the refusal names the field and the kind, never the value.</summary>
    Refuse = 0,

    /// <summary>Store the document with the personal data redacted (through the host's <c>IRedactorProvider</c>).</summary>
    Redact = 1,

    /// <summary>Store the value as sent; the audit record still carries it redacted.</summary>
    Allow = 2,
}
