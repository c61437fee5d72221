namespace Cosmos.Audit.Validators;

/// <summary>The kinds of personal data the <c>pii</c> validator detects in string fields.</summary>
[Flags]
public enum AuditPiiKinds
{
    /// <summary>No kind.</summary>
    None = 0,

    /// <summary>E-mail addresses (<c>local@domain.tld</c>).</summary>
    Email = 1,

    /// <summary>Phone numbers: 9 to 15 digits, optionally with a leading <c>+</c> and spaces, dots, dashes or parentheses.</summary>
    Phone = 2,

    /// <summary>Payment card numbers: 13 to 19 digits (spaces or dashes allowed) that pass the Luhn check.</summary>
    PaymentCard = 4,

    /// <summary>International bank account numbers that pass the ISO 13616 mod-97 check.</summary>
    Iban = 8,

    /// <summary>Korean resident registration numbers (<c>YYMMDD-GNNNNNN</c>, with a valid birth date and a gender digit 1 to 8).</summary>
    KoreanResidentRegistrationNumber = 16,

    /// <summary>Every kind above.</summary>
    All = Email | Phone | PaymentCard | Iban | KoreanResidentRegistrationNumber,
}
