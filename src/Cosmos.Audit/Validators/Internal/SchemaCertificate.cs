using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cosmos.Audit.Validators.Internal;

/// <summary>A one-sided check of a document against a JSON Schema written with common keywords, run on the
/// <see cref="JsonObject"/> itself: when it says <see langword="true"/> the document certainly matches the schema; when it says
/// <see langword="false"/> the document may or may not match, and JsonSchema.Net decides (and lists the errors).</summary>
/// <remarks>
/// Why: JsonSchema.Net 8 allocates tens of kilobytes per evaluation even with the flag output, and needs the document
/// serialized and parsed first; most writes are valid, and proving that for a plain schema is a walk over the nodes.
/// Soundness rests on being one-sided: every doubt answers <see langword="false"/>, so the verdict and the errors are always
/// JsonSchema.Net's, only reached sooner. The doubts are:
/// <list type="bullet">
/// <item>a keyword outside the subset below (the schema is then not compiled at all: <c>$ref</c>, <c>pattern</c>, <c>format</c>,
/// <c>allOf</c>, a <c>$schema</c> other than 2020-12, or any unknown keyword);</item>
/// <item>a number the library would read differently: JsonSchema.Net compares the written decimals. Parsed numbers and integers
/// are compared as those exact decimals; a fractional double (written in plain notation, 1e-4 to 1e15) is compared as a double,
/// which settles every case but equality with the bound (rounding is monotonic, so unequal doubles order the decimals alike);
/// a bound written with more than 17 digits or an exponent leaves the schema uncompiled;</item>
/// <item><c>"integer"</c> for a number that is not certainly written without a fraction or exponent;</item>
/// <item>a length bound on a string that is not plain ASCII without CR (there UTF-16 units, code points and text elements all agree);</item>
/// <item>an <c>enum</c>/<c>const</c> that the instance matches only through an object, an array or a non-integral number.</item>
/// </list>
/// Supported: boolean schemas, <c>type</c>, <c>enum</c>, <c>const</c>, <c>properties</c>, <c>required</c>,
/// <c>additionalProperties</c>, <c>minProperties</c>/<c>maxProperties</c>, <c>items</c> (a schema), <c>minItems</c>/<c>maxItems</c>,
/// <c>minLength</c>/<c>maxLength</c>, <c>minimum</c>/<c>maximum</c>/<c>exclusiveMinimum</c>/<c>exclusiveMaximum</c>, and the
/// annotations <c>title</c>, <c>description</c>, <c>$comment</c>, <c>default</c>, <c>examples</c>, <c>deprecated</c>,
/// <c>readOnly</c>, <c>writeOnly</c>.
/// </remarks>
internal sealed class SchemaCertificate
{
    // Doubles below 1e15 in magnitude that hold an integer are written by System.Text.Json as plain digits ("2", not "2.0" or "1E+15"),
    // and every integer below it is exact in a double, so such a number reads the same as a double, a long and a decimal.
    private const double PlainIntegerLimit = 1e15;

    private bool? _always;
    private JsonTypes _types = JsonTypes.Any;
    private object?[]? _allowed;
    private Dictionary<string, SchemaCertificate>? _properties;
    private HashSet<string>? _required;
    private SchemaCertificate? _additional;
    private SchemaCertificate? _items;
    private int _minCount;
    private int _maxCount = int.MaxValue;
    private int _minLength;
    private int _maxLength = int.MaxValue;
    private Bound? _minimum;
    private Bound? _maximum;
    private Bound? _exclusiveMinimum;
    private Bound? _exclusiveMaximum;

    private SchemaCertificate()
    {
    }

    [Flags]
    private enum JsonTypes
    {
        None = 0,
        Null = 1,
        Boolean = 2,
        Object = 4,
        Array = 8,
        Number = 16,
        Integer = 32,
        String = 64,
        Any = Null | Boolean | Object | Array | Number | Integer | String,
    }

    /// <summary>Compiles <paramref name="schema"/>, or returns <see langword="null"/> when it uses anything outside the subset.</summary>
    public static SchemaCertificate? TryCompile(JsonElement schema)
    {
        if (schema.ValueKind == JsonValueKind.Object
            && schema.TryGetProperty("$schema", out var dialect)
            && dialect.ValueEquals("https://json-schema.org/draft/2020-12/schema") is false)
        {
            return null;
        }

        return Compile(schema, root: true);
    }

    /// <summary>Whether <paramref name="document"/> certainly matches; top-level properties for which <paramref name="hidden"/>
    /// is true are treated as absent (the schema does not see them).</summary>
    public bool Certifies(JsonObject document, Func<string, bool> hidden) => CertifiesObject(document, hidden);

    private static SchemaCertificate? Compile(JsonElement schema, bool root)
    {
        var compiled = new SchemaCertificate();
        switch (schema.ValueKind)
        {
            case JsonValueKind.True:
                compiled._always = true;
                return compiled;
            case JsonValueKind.False:
                compiled._always = false;
                return compiled;
            case JsonValueKind.Object:
                break;
            default:
                return null;
        }

        foreach (var keyword in schema.EnumerateObject())
        {
            var value = keyword.Value;
            var ok = keyword.Name switch
            {
                "$schema" => root,
                "title" or "description" or "$comment" or "default" or "examples" or "deprecated" or "readOnly" or "writeOnly" => true,
                "type" => TryTypes(value, out compiled._types),
                "enum" => value.ValueKind == JsonValueKind.Array && TryAllowed(value.EnumerateArray(), out compiled._allowed),
                "const" => TryAllowed([value], out compiled._allowed),
                "properties" => TryProperties(value, out compiled._properties),
                "required" => TryNames(value, out compiled._required),
                "additionalProperties" => (compiled._additional = Compile(value, root: false)) is not null,
                "items" => (compiled._items = Compile(value, root: false)) is not null,
                "minProperties" or "minItems" => TryCount(value, out compiled._minCount),
                "maxProperties" or "maxItems" => TryCount(value, out compiled._maxCount),
                "minLength" => TryCount(value, out compiled._minLength),
                "maxLength" => TryCount(value, out compiled._maxLength),
                "minimum" => Bound.TryRead(value, out compiled._minimum),
                "maximum" => Bound.TryRead(value, out compiled._maximum),
                "exclusiveMinimum" => Bound.TryRead(value, out compiled._exclusiveMinimum),
                "exclusiveMaximum" => Bound.TryRead(value, out compiled._exclusiveMaximum),
                _ => false,
            };
            if (!ok)
            {
                return null;
            }
        }

        // minItems and minProperties share one field; a schema that names both with different values is not worth the doubt.
        if (CountsClash(schema, "minItems", "minProperties") || CountsClash(schema, "maxItems", "maxProperties"))
        {
            return null;
        }

        return compiled;
    }

    private static bool CountsClash(JsonElement schema, string a, string b) =>
        schema.TryGetProperty(a, out var x) && schema.TryGetProperty(b, out var y) && !JsonElement.DeepEquals(x, y);

    private static bool TryTypes(JsonElement value, out JsonTypes types)
    {
        types = JsonTypes.None;
        if (value.ValueKind == JsonValueKind.String)
        {
            return TryType(value, ref types);
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || !TryType(item, ref types))
            {
                return false;
            }
        }

        return types != JsonTypes.None;
    }

    private static bool TryType(JsonElement name, ref JsonTypes types)
    {
        var type = name.GetString() switch
        {
            "null" => JsonTypes.Null,
            "boolean" => JsonTypes.Boolean,
            "object" => JsonTypes.Object,
            "array" => JsonTypes.Array,
            "number" => JsonTypes.Number,
            "integer" => JsonTypes.Integer,
            "string" => JsonTypes.String,
            _ => JsonTypes.None,
        };
        types |= type;
        return type != JsonTypes.None;
    }

    private static bool TryAllowed(IEnumerable<JsonElement> values, out object?[]? allowed)
    {
        // Only members an instance can be compared with exactly are kept; an instance equal to a dropped member is simply not certified.
        var list = new List<object?>();
        foreach (var value in values)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    list.Add(value.GetString());
                    break;
                case JsonValueKind.True or JsonValueKind.False:
                    list.Add(value.GetBoolean());
                    break;
                case JsonValueKind.Null:
                    list.Add(null);
                    break;
                case JsonValueKind.Number when value.TryGetInt64(out var integer) && Math.Abs(integer) < PlainIntegerLimit:
                    list.Add(integer);
                    break;
            }
        }

        allowed = [.. list];
        return true;
    }

    private static bool TryProperties(JsonElement value, out Dictionary<string, SchemaCertificate>? properties)
    {
        properties = null;
        if (value.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        properties = new Dictionary<string, SchemaCertificate>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            if (Compile(property.Value, root: false) is not { } compiled)
            {
                return false;
            }

            properties[property.Name] = compiled;
        }

        return true;
    }

    private static bool TryNames(JsonElement value, out HashSet<string>? names)
    {
        names = null;
        if (value.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                return false;
            }

            names.Add(item.GetString()!);
        }

        return true;
    }

    private static bool TryCount(JsonElement value, out int count)
    {
        count = 0;
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out count) && count >= 0;
    }

    private bool CertifiesNode(JsonNode? node)
    {
        if (_always is { } always)
        {
            return always;
        }

        switch (node)
        {
            case null:
                return (_types & JsonTypes.Null) != 0 && CertifiesAllowed(null);
            case JsonObject obj:
                return CertifiesObject(obj, hidden: null);
            case JsonArray array:
                return CertifiesArray(array);
            case JsonValue value:
                return CertifiesValue(value);
            default:
                return false;
        }
    }

    private bool CertifiesObject(JsonObject obj, Func<string, bool>? hidden)
    {
        if (_always is { } always)
        {
            return always;
        }

        if ((_types & JsonTypes.Object) == 0 || _allowed is not null)
        {
            return false;
        }

        // Required names are counted as they are met (ordinal), not looked up: a case-insensitive JsonObject would find "orderid" for "orderId".
        var count = 0;
        var required = 0;
        // Indexed, not enumerated: JsonObject's enumerator is an interface and would be allocated once per object.
        for (var i = 0; i < obj.Count; i++)
        {
            var (name, child) = obj.GetAt(i);
            if (hidden is not null && hidden(name))
            {
                continue;
            }

            count++;
            if (_required is not null && _required.Contains(name))
            {
                required++;
            }

            if (_properties is not null && _properties.TryGetValue(name, out var property))
            {
                if (!property.CertifiesNode(child))
                {
                    return false;
                }
            }
            else if (_additional is not null && !_additional.CertifiesNode(child))
            {
                return false;
            }
        }

        return count >= _minCount && count <= _maxCount && required == (_required?.Count ?? 0);
    }

    private bool CertifiesArray(JsonArray array)
    {
        if ((_types & JsonTypes.Array) == 0 || _allowed is not null || array.Count < _minCount || array.Count > _maxCount)
        {
            return false;
        }

        if (_items is not null)
        {
            for (var i = 0; i < array.Count; i++)
            {
                if (!_items.CertifiesNode(array[i]))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private bool CertifiesValue(JsonValue value)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                if ((_types & JsonTypes.String) == 0)
                {
                    return false;
                }

                // A holder of another type written as a string (a Guid, a DateTime) is left to the library, which sees its text.
                if (!value.TryGetValue<string>(out var text))
                {
                    return false;
                }

                if ((_minLength > 0 || _maxLength < int.MaxValue) && !HasCertainLength(text, _minLength, _maxLength))
                {
                    return false;
                }

                return CertifiesAllowed(text);
            case JsonValueKind.True or JsonValueKind.False:
                return (_types & JsonTypes.Boolean) != 0 && value.TryGetValue<bool>(out var flag) && CertifiesAllowed(flag);
            case JsonValueKind.Null:
                return (_types & JsonTypes.Null) != 0 && CertifiesAllowed(null);
            case JsonValueKind.Number:
                return CertifiesNumber(value);
            default:
                return false;
        }
    }

    private static bool HasCertainLength(string text, int min, int max)
    {
        foreach (var c in text)
        {
            if (c is >= (char)0x80 or '\r')
            {
                return false;
            }
        }

        return text.Length >= min && text.Length <= max;
    }

    private bool CertifiesNumber(JsonValue value)
    {
        if (!TryReadNumber(value, out var number))
        {
            return false;
        }

        if ((_types & JsonTypes.Number) == 0 && ((_types & JsonTypes.Integer) == 0 || !number.Integral))
        {
            return false;
        }

        if (_allowed is not null && !(number.Integral && number.Exact is { } exact && exact == decimal.Truncate(exact)
            && exact is > long.MinValue and < long.MaxValue && CertifiesAllowed((long)exact)))
        {
            return false;
        }

        return (_minimum is not { } min || number.CompareTo(min) is > 0 or 0)
            && (_maximum is not { } max || number.CompareTo(max) is < 0 and not Unsettled or 0)
            && (_exclusiveMinimum is not { } xmin || number.CompareTo(xmin) > 0)
            && (_exclusiveMaximum is not { } xmax || number.CompareTo(xmax) is < 0 and not Unsettled);
    }

    // What NumberReading.CompareTo answers when a double cannot settle the comparison of the written decimals.
    private const int Unsettled = int.MinValue;

    /// <summary>Reads a number the way the library will see it once the document is written out.</summary>
    private static bool TryReadNumber(JsonValue value, out NumberReading number)
    {
        number = default;
        if (value.TryGetValue<JsonElement>(out var element))
        {
            // Parsed text: the library reads it with GetDecimal too; an integer only when the text has no fraction or exponent.
            if (!element.TryGetDecimal(out var parsed))
            {
                return false;
            }

            number = new NumberReading(parsed, 0, element.TryGetInt64(out _));
            return true;
        }

        if (value.TryGetValue<int>(out var i))
        {
            number = new NumberReading(i, 0, true);
            return true;
        }

        if (value.TryGetValue<long>(out var l))
        {
            number = new NumberReading(l, 0, true);
            return true;
        }

        if (value.TryGetValue<double>(out var d) && double.IsFinite(d))
        {
            var magnitude = Math.Abs(d);
            if (double.IsInteger(d) && magnitude < PlainIntegerLimit)
            {
                number = new NumberReading((decimal)d, d, true);
                return true;
            }

            // System.Text.Json writes such a double in plain notation with at most 17 significant digits, which a decimal holds exactly.
            if (magnitude is >= 1e-4 and < PlainIntegerLimit)
            {
                number = new NumberReading(null, d, false);
                return true;
            }
        }

        // Other holders (decimal keeps trailing zeros, float widens inexactly) are left to the library.
        return false;
    }

    private bool CertifiesAllowed(object? instance)
    {
        if (_allowed is null)
        {
            return true;
        }

        foreach (var member in _allowed)
        {
            if (Equals(member, instance))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A numeric bound as written in the schema: exact as a decimal (the library compares decimals) and as a double.</summary>
    private readonly record struct Bound(decimal Value, double Approximate)
    {
        public static bool TryRead(JsonElement element, out Bound? bound)
        {
            bound = null;

            // At most 17 digits in plain notation: the decimal is the written number itself, and the double its nearest.
            var text = element.ValueKind == JsonValueKind.Number ? element.GetRawText() : string.Empty;
            if (text.Length == 0 || text.Count(char.IsAsciiDigit) > 17 || text.AsSpan().IndexOfAny('e', 'E') >= 0
                || !element.TryGetDecimal(out var value) || !element.TryGetDouble(out var approximate))
            {
                return false;
            }

            bound = new Bound(value, approximate);
            return true;
        }
    }

    /// <summary>An instance number: <see cref="Exact"/> when its written decimal is known, otherwise a double between 1e-4 and 1e15
    /// whose written form has at most 17 digits.</summary>
    private readonly record struct NumberReading(decimal? Exact, double Approximate, bool Integral)
    {
        /// <summary>The sign of this minus <paramref name="bound"/> for the written decimals, or <see cref="Unsettled"/>.</summary>
        public int CompareTo(Bound bound)
        {
            if (Exact is { } exact)
            {
                return exact.CompareTo(bound.Value);
            }

            // Rounding to double is monotonic, so unequal doubles order the written decimals the same way; equal ones do not.
            return Approximate == bound.Approximate ? Unsettled : Approximate.CompareTo(bound.Approximate);
        }
    }
}
