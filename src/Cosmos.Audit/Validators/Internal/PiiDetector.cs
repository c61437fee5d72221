using System.Text.RegularExpressions;

namespace Cosmos.Audit.Validators.Internal;

/// <summary>Finds personal data in text: e-mail addresses, phone numbers, Luhn-valid card numbers, mod-97-valid IBANs and Korean
/// resident registration numbers.</summary>
/// <remarks>
/// Number-like runs are found once and then classified, most specific first: a run that is a valid RRN or a Luhn-valid card is
/// not also reported as a phone number. Checksums keep false positives down (an order number rarely passes Luhn and mod 97);
/// phone numbers have no checksum, so a bare run of digits counts as one only at national length (9 to 11 digits) or with a
/// leading <c>+</c> (up to 15, E.164).
/// </remarks>
internal static partial class PiiDetector
{
    public static void Find(string text, AuditPiiKinds kinds, List<(AuditPiiKinds Kind, int Start, int Length)> found)
    {
        if ((kinds & AuditPiiKinds.Email) != 0 && text.Contains('@', StringComparison.Ordinal))
        {
            foreach (var match in EmailPattern().EnumerateMatches(text))
            {
                found.Add((AuditPiiKinds.Email, match.Index, match.Length));
            }
        }

        // Every other kind has at least nine digits.
        var digits = 0;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c) && ++digits >= 9)
            {
                break;
            }
        }

        if (digits < 9)
        {
            return;
        }

        if ((kinds & AuditPiiKinds.Iban) != 0)
        {
            foreach (var match in IbanPattern().EnumerateMatches(text))
            {
                if (IsIban(text.AsSpan(match.Index, match.Length)))
                {
                    found.Add((AuditPiiKinds.Iban, match.Index, match.Length));
                }
            }
        }

        foreach (var match in NumberPattern().EnumerateMatches(text))
        {
            var run = text.AsSpan(match.Index, match.Length);
            if (Overlaps(found, match.Index, match.Length))
            {
                continue;
            }

            var kind = Classify(run, kinds);
            if (kind != AuditPiiKinds.None)
            {
                found.Add((kind, match.Index, match.Length));
            }
        }
    }

    private static AuditPiiKinds Classify(ReadOnlySpan<char> run, AuditPiiKinds kinds)
    {
        Span<byte> digits = stackalloc byte[32];
        var count = 0;
        var onlyCardSeparators = true;
        foreach (var c in run)
        {
            if (char.IsAsciiDigit(c))
            {
                if (count == digits.Length)
                {
                    return AuditPiiKinds.None;
                }

                digits[count++] = (byte)(c - '0');
            }
            else if (c is not (' ' or '-'))
            {
                onlyCardSeparators = false;
            }
        }

        digits = digits[..count];
        if ((kinds & AuditPiiKinds.KoreanResidentRegistrationNumber) != 0 && IsKoreanRrn(run, digits))
        {
            return AuditPiiKinds.KoreanResidentRegistrationNumber;
        }

        if ((kinds & AuditPiiKinds.PaymentCard) != 0 && onlyCardSeparators && count is >= 13 and <= 19 && PassesLuhn(digits))
        {
            return AuditPiiKinds.PaymentCard;
        }

        if ((kinds & AuditPiiKinds.Phone) != 0 && LooksLikePhone(run, digits))
        {
            return AuditPiiKinds.Phone;
        }

        return AuditPiiKinds.None;
    }

    /// <summary>International (<c>+</c>, 9-15 digits), an area code in parentheses, a national number with its trunk prefix 0
    /// (<c>010-1234-5678</c>, <c>02 123 4567</c>), or the North American 3-3-4 grouping; other digit runs (order numbers,
    /// dates, ids like <c>2026-000123</c>) are not taken for phone numbers.</summary>
    private static bool LooksLikePhone(ReadOnlySpan<char> run, ReadOnlySpan<byte> digits)
    {
        if (run[0] == '+')
        {
            return digits.Length is >= 9 and <= 15;
        }

        if (digits.Length is < 9 or > 11)
        {
            return false;
        }

        if (run[0] == '(' || digits[0] == 0)
        {
            return true;
        }

        // 555-010-9999 / 555 010 9999 / 555.010.9999
        return run.Length == 12 && digits.Length == 10 && run[3] == run[7] && run[3] is ' ' or '-' or '.';
    }

    internal static bool PassesLuhn(ReadOnlySpan<byte> digits)
    {
        var sum = 0;
        var doubleIt = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var d = digits[i];
            if (doubleIt)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            doubleIt = !doubleIt;
        }

        return sum % 10 == 0;
    }

    private static bool IsKoreanRrn(ReadOnlySpan<char> run, ReadOnlySpan<byte> digits)
    {
        // YYMMDD-GNNNNNN, the hyphen optional; G (1-8) gives the century: 1,2,5,6 -> 1900s, 3,4,7,8 -> 2000s.
        if (digits.Length != 13 || (run.Length != 13 && !(run.Length == 14 && run[6] == '-')))
        {
            return false;
        }

        var gender = digits[6];
        if (gender is < 1 or > 8)
        {
            return false;
        }

        var year = (gender is 1 or 2 or 5 or 6 ? 1900 : 2000) + (digits[0] * 10) + digits[1];
        var month = (digits[2] * 10) + digits[3];
        var day = (digits[4] * 10) + digits[5];
        return month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month);
    }

    internal static bool IsIban(ReadOnlySpan<char> candidate)
    {
        // ISO 13616: move the first four characters to the end, letters to 10..35, the number mod 97 must be 1.
        Span<char> compact = stackalloc char[34];
        var length = 0;
        foreach (var c in candidate)
        {
            if (c == ' ')
            {
                continue;
            }

            if (length == compact.Length)
            {
                return false;
            }

            compact[length++] = c;
        }

        if (length < 15)
        {
            return false;
        }

        var remainder = 0;
        for (var i = 0; i < length; i++)
        {
            var c = compact[(i + 4) % length];
            if (char.IsAsciiDigit(c))
            {
                remainder = ((remainder * 10) + (c - '0')) % 97;
            }
            else if (char.IsAsciiLetterUpper(c))
            {
                remainder = ((remainder * 100) + (c - 'A' + 10)) % 97;
            }
            else
            {
                return false;
            }
        }

        return remainder == 1;
    }

    private static bool Overlaps(List<(AuditPiiKinds Kind, int Start, int Length)> found, int start, int length)
    {
        foreach (var (_, s, l) in found)
        {
            if (start < s + l && s < start + length)
            {
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"\b[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]){11,30}\b", RegexOptions.CultureInvariant)]
    private static partial Regex IbanPattern();

    // A run of digit groups joined by single separators, optionally led by + or an area code in parentheses, and not part of
    // a longer identifier (no letter, digit, dash or dot right before or a letter, digit or dash right after).
    [GeneratedRegex(@"(?<![\w+\-.])(?:\+|\(\d{1,5}\)[ .\-]?)?\d+(?:[ .\-]\d+)*(?![\w\-])", RegexOptions.CultureInvariant)]
    private static partial Regex NumberPattern();
}
