using Microsoft.Extensions.Compliance.Classification;

namespace Cosmos.Audit.Validators;

/// <summary>The data classifications under which the <c>pii</c> validator asks the host's <c>IRedactorProvider</c> for a redactor,
/// one per kind of personal data; configure them with <c>services.AddRedaction(r =&gt; r.SetRedactor&lt;T&gt;(...))</c>.</summary>
public static class AuditDataClassifications
{
    /// <summary>The taxonomy name of these classifications.</summary>
    public const string TaxonomyName = "Cosmos.Audit";

    /// <summary>Gets the classification of e-mail addresses.</summary>
    public static DataClassification Email { get; } = new(TaxonomyName, nameof(Email));

    /// <summary>Gets the classification of phone numbers.</summary>
    public static DataClassification Phone { get; } = new(TaxonomyName, nameof(Phone));

    /// <summary>Gets the classification of payment card numbers.</summary>
    public static DataClassification PaymentCard { get; } = new(TaxonomyName, nameof(PaymentCard));

    /// <summary>Gets the classification of IBANs.</summary>
    public static DataClassification Iban { get; } = new(TaxonomyName, nameof(Iban));

    /// <summary>Gets the classification of Korean resident registration numbers.</summary>
    public static DataClassification KoreanResidentRegistrationNumber { get; } = new(TaxonomyName, nameof(KoreanResidentRegistrationNumber));

    internal static DataClassification For(AuditPiiKinds kind) => kind switch
    {
        AuditPiiKinds.Email => Email,
        AuditPiiKinds.Phone => Phone,
        AuditPiiKinds.PaymentCard => PaymentCard,
        AuditPiiKinds.Iban => Iban,
        _ => KoreanResidentRegistrationNumber,
    };
}
