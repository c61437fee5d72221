using Cosmos.Audit.Validators;
using Cosmos.Audit.Validators.Internal;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Cosmos.Audit.Tests.Validators;

public sealed class PiiDetectorTests
{
    [Theory]
    [InlineData("write to kim.lee+orders@mail.example.co.kr please", AuditPiiKinds.Email)]
    [InlineData("card 4111 1111 1111 1111", AuditPiiKinds.PaymentCard)]
    [InlineData("card 5500-0000-0000-0004", AuditPiiKinds.PaymentCard)]
    [InlineData("IBAN GB82 WEST 1234 5698 7654 32", AuditPiiKinds.Iban)]
    [InlineData("DE89370400440532013000", AuditPiiKinds.Iban)]
    [InlineData("rrn 900101-1234567", AuditPiiKinds.KoreanResidentRegistrationNumber)]
    [InlineData("rrn 0502283234567", AuditPiiKinds.KoreanResidentRegistrationNumber)]
    [InlineData("phone +1 (555) 010-9999", AuditPiiKinds.Phone)]
    [InlineData("phone 010-1234-5678", AuditPiiKinds.Phone)]
    [InlineData("phone 555-010-9999.", AuditPiiKinds.Phone)]
    [InlineData("tel 02 123 4567", AuditPiiKinds.Phone)]
    public void Find_KnownValue_DetectedAsItsKind(string text, AuditPiiKinds expected)
    {
        var found = new List<(AuditPiiKinds Kind, int Start, int Length)>();
        PiiDetector.Find(text, AuditPiiKinds.All, found);
        Assert.Equal(expected, Assert.Single(found).Kind);
    }

    [Theory]
    [InlineData("card 4111 1111 1111 1112")] // Luhn fails
    [InlineData("IBAN GB82 WEST 1234 5698 7654 33")] // mod 97 fails
    [InlineData("rrn 901301-1234567")] // month 13
    [InlineData("order 12345678")]
    [InlineData("at sign @ alone")]
    [InlineData("version 1.2.3 build 42")]
    [InlineData("order ord-2026-000123")]
    [InlineData("batch 2026-000123 shipped")]
    [InlineData("tracking 123456789")]
    public void Find_LookAlike_NotDetected(string text)
    {
        var found = new List<(AuditPiiKinds Kind, int Start, int Length)>();
        PiiDetector.Find(text, AuditPiiKinds.All, found);
        Assert.Empty(found);
    }

    [Fact]
    public void Find_KindNotAsked_NotDetected()
    {
        var found = new List<(AuditPiiKinds Kind, int Start, int Length)>();
        PiiDetector.Find("kim@example.com 4111111111111111", AuditPiiKinds.Email, found);
        Assert.Equal(AuditPiiKinds.Email, Assert.Single(found).Kind);
    }

    // Luhn law: appending the check digit computed for any payload makes the number valid, and changing one digit breaks it.
    [Property(MaxTest = 300, Replay = "12345,67891")]
    public bool PassesLuhn_CheckDigitAppended_ValidAndOneDigitChangeInvalid(NonEmptyArray<byte> payload, PositiveInt position, PositiveInt delta)
    {
        var digits = payload.Get.Take(18).Select(b => (byte)(b % 10)).ToList();
        var sum = 0;
        for (var i = 0; i < digits.Count; i++)
        {
            var d = digits[digits.Count - 1 - i];
            if (i % 2 == 0)
            {
                d = (byte)(d * 2 > 9 ? (d * 2) - 9 : d * 2);
            }

            sum += d;
        }

        digits.Add((byte)((10 - (sum % 10)) % 10));
        var valid = PiiDetector.PassesLuhn([.. digits]);
        var changed = digits.ToArray();
        var at = position.Get % changed.Length;
        changed[at] = (byte)((changed[at] + 1 + (delta.Get % 9)) % 10);
        return valid && !PiiDetector.PassesLuhn(changed);
    }
}
