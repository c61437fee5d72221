using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cosmos.Audit.Stamping;
using Cosmos.Audit.Validators.Internal;
using Microsoft.Extensions.Compliance.Classification;
using Microsoft.Extensions.Compliance.Redaction;

namespace Cosmos.Audit.Validators;

/// <summary>The <c>pii</c> validator: finds personal data (<see cref="AuditPiiKinds"/>) in the string fields of a document and, per
/// collection and field (<see cref="AuditPiiRule"/>), refuses the write, redacts the data before it is stored, or allows it.</summary>
/// <remarks>
/// Creates and updates are checked; a delete or restore changes no content, so it is never refused for personal data, but
/// its record is redacted like any other.
/// Whatever the action, the audit record never carries the raw value: a refusal names the field and the kind only, a redaction
/// is recorded as stored, and an allowed value (and any personal data found in the stored before-document) is replaced by
/// <c>[redacted]</c> in the record. Redaction goes through the host's <see cref="IRedactorProvider"/>, one classification per kind
/// (<see cref="AuditDataClassifications"/>); without one, values are erased (<see cref="ErasingRedactor"/>).
/// </remarks>
public sealed class PiiCommitValidator : IAuditCommitValidator
{
    private readonly AuditPiiKinds _kinds;
    private readonly AuditPiiAction _defaultAction;
    private readonly (string Collection, string[] Field, AuditPiiAction Action, AuditPiiKinds Kinds)[] _rules;
    private readonly IRedactorProvider? _redactors;

    /// <summary>Creates the validator.</summary>
    /// <param name="options">What to look for and what to do with it.</param>
    /// <param name="redactors">The host's redactors; values are erased when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A rule is null, has no collection, a field that is not a JSON pointer, or an undefined action (the message names its index).</exception>
    public PiiCommitValidator(AuditPiiOptions options, IRedactorProvider? redactors = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Enum.IsDefined(options.DefaultAction))
        {
            throw new ArgumentException($"The default action {(int)options.DefaultAction} is not defined.", nameof(options));
        }

        var rules = options.Rules ?? [];
        _rules = new (string, string[], AuditPiiAction, AuditPiiKinds)[rules.Count];
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            if (rule is null || string.IsNullOrEmpty(rule.Collection) || !Enum.IsDefined(rule.Action)
                || !(string.IsNullOrEmpty(rule.Field) || rule.Field == "*" || rule.Field[0] == '/'))
            {
                throw new ArgumentException($"The PII rule at index {i} needs a collection (or *), a field that is a JSON pointer (or *) and a defined action.", nameof(options));
            }

            var field = string.IsNullOrEmpty(rule.Field) || rule.Field == "*" ? [] : rule.Field[1..].Split('/');
            _rules[i] = (rule.Collection, field, rule.Action, rule.Kinds);
        }

        _kinds = options.Kinds;
        _defaultAction = options.DefaultAction;
        _redactors = redactors;
    }

    /// <inheritdoc />
    public string Name => "pii";

    /// <inheritdoc />
    public ValueTask<AuditValidationVerdict> ValidateAsync(AuditCommitContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var scan = new Scan(this, context);

        // The stored document may hold values allowed earlier: never let them into the record either.
        if (context.Before is not null)
        {
            scan.Walk(context.Before, scan.Path, before: true);
        }

        scan.Walk(context.After, scan.Path, before: false);
        return ValueTask.FromResult(scan.Errors is { Count: > 0 } errors
            ? AuditValidationVerdict.Refuse(Name, "the document contains personal data this field may not hold", errors)
            : AuditValidationVerdict.Allow(Name));
    }

    private AuditPiiAction ActionFor(string collection, List<string> path, AuditPiiKinds kind)
    {
        foreach (var (ruleCollection, field, action, kinds) in _rules)
        {
            if ((kinds & kind) != 0
                && (ruleCollection == "*" || string.Equals(ruleCollection, collection, StringComparison.Ordinal))
                && Covers(field, path))
            {
                return action;
            }
        }

        return _defaultAction;
    }

    private static bool Covers(string[] field, List<string> path)
    {
        if (field.Length > path.Count)
        {
            return false;
        }

        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] != "*" && !string.Equals(field[i].Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal), path[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static string KindName(AuditPiiKinds kind) => kind switch
    {
        AuditPiiKinds.Email => "an e-mail address",
        AuditPiiKinds.Phone => "a phone number",
        AuditPiiKinds.PaymentCard => "a payment card number",
        AuditPiiKinds.Iban => "an IBAN",
        _ => "a Korean resident registration number",
    };

    private string Redact(string text, List<(AuditPiiKinds Kind, int Start, int Length)> found)
    {
        found.Sort(static (a, b) => a.Start.CompareTo(b.Start));
        var builder = new StringBuilder(text.Length);
        var at = 0;
        foreach (var (kind, start, length) in found)
        {
            builder.Append(text, at, start - at);
            var redactor = _redactors?.GetRedactor(new DataClassificationSet(AuditDataClassifications.For(kind))) ?? ErasingRedactor.Instance;
            builder.Append(redactor.Redact(text.AsSpan(start, length)));
            at = start + length;
        }

        return builder.Append(text, at, text.Length - at).ToString();
    }

    private static readonly string[] Indices = [.. Enumerable.Range(0, 64).Select(i => i.ToString(CultureInfo.InvariantCulture))];

    /// <summary>One walk over a document: detection, then the action of the matching rule.</summary>
    private sealed class Scan(PiiCommitValidator owner, AuditCommitContext context)
    {
        private readonly List<(AuditPiiKinds Kind, int Start, int Length)> _found = [];

        /// <summary>The path of the value being checked; empty between walks.</summary>
        public List<string> Path { get; } = new(8);

        public List<AuditValidationError>? Errors { get; private set; }

        public void Walk(JsonNode? node, List<string> path, bool before)
        {
            switch (node)
            {
                case JsonObject obj:
                    List<(string Name, string Value)>? replacements = null;
                    // Indexed, not enumerated: JsonObject's enumerator is an interface and would be allocated once per object.
                    for (var i = 0; i < obj.Count; i++)
                    {
                        var (name, child) = obj.GetAt(i);
                        if (path.Count == 0 && AuditFields.IsAuditField(name))
                        {
                            continue;
                        }

                        path.Add(name);
                        if (child is JsonValue value && value.GetValueKind() == JsonValueKind.String)
                        {
                            if (Check(TextOf(value), path, before) is { } redacted)
                            {
                                (replacements ??= []).Add((name, redacted));
                            }
                        }
                        else
                        {
                            Walk(child, path, before);
                        }

                        path.RemoveAt(path.Count - 1);
                    }

                    // Replaced after the loop: a JsonObject cannot change while it is enumerated.
                    if (replacements is not null)
                    {
                        foreach (var (name, redacted) in replacements)
                        {
                            obj[name] = redacted;
                        }
                    }

                    break;
                case JsonArray array:
                    for (var i = 0; i < array.Count; i++)
                    {
                        path.Add(i < Indices.Length ? Indices[i] : i.ToString(CultureInfo.InvariantCulture));
                        if (array[i] is JsonValue value && value.GetValueKind() == JsonValueKind.String)
                        {
                            if (Check(TextOf(value), path, before) is { } redacted)
                            {
                                array[i] = redacted;
                            }
                        }
                        else
                        {
                            Walk(array[i], path, before);
                        }

                        path.RemoveAt(path.Count - 1);
                    }

                    break;
            }
        }

        /// <summary>The text a string value is written as: a host may hold a Guid, a date or its own type in a string-kind value,
        /// and the text is what is stored and recorded.</summary>
        private static string TextOf(JsonValue value)
        {
            if (value.TryGetValue<string>(out var text))
            {
                return text;
            }

            using var written = JsonDocument.Parse(value.ToJsonString());
            return written.RootElement.GetString() ?? string.Empty;
        }

        private static string Pointer(List<string> path)
        {
            var builder = new StringBuilder();
            foreach (var segment in path)
            {
                builder.Append('/');
                foreach (var c in segment)
                {
                    _ = c switch
                    {
                        '~' => builder.Append("~0"),
                        '/' => builder.Append("~1"),
                        _ => builder.Append(c),
                    };
                }
            }

            return builder.ToString();
        }

        /// <summary>Returns the redacted text when the stored value must change; otherwise null.</summary>
        private string? Check(string text, List<string> path, bool before)
        {
            _found.Clear();
            PiiDetector.Find(text, owner._kinds, _found);
            if (_found.Count == 0)
            {
                return null;
            }

            // The JSON pointer is built only for a finding; most strings hold none.
            var location = Pointer(path);

            if (before)
            {
                context.RedactInAuditRecord(location, inAfter: false);
                return null;
            }

            // A delete or restore carries no new content from the client: nothing to refuse or rewrite, only the record to keep clean.
            if (context.Action is not (Log.AuditAction.Create or Log.AuditAction.Update))
            {
                context.RedactInAuditRecord(location);
                return null;
            }

            var redact = false;
            var allowed = false;
            foreach (var (kind, _, _) in _found)
            {
                switch (owner.ActionFor(context.Collection, path, kind))
                {
                    case AuditPiiAction.Refuse:
                        (Errors ??= []).Add(new AuditValidationError(location, "contains " + KindName(kind)));
                        break;
                    case AuditPiiAction.Redact:
                        redact = true;
                        break;
                    default:
                        allowed = true;
                        break;
                }
            }

            if (allowed)
            {
                context.RedactInAuditRecord(location);
            }

            return redact && Errors is null ? owner.Redact(text, [.. _found]) : null;
        }
    }
}
