using System.Text.Json;
using System.Text.Json.Nodes;

namespace VaxCert.Verifier.Schema;

/// <summary>
/// A small JSON Schema (draft 2020-12) validator for the subset the EU DCC schemas use: type, properties, required,
/// additionalProperties, pattern, minLength, maxLength, minimum, maximum, items, minItems, maxItems, $ref into
/// $defs/definitions, oneOf, anyOf, allOf, enum and const. <c>format</c> and every other keyword are annotations.
/// The schema is compiled once. Every keyword runs in linear time: patterns with ECMAScript semantics and no backtracking
/// (<see cref="EcmaPattern"/>), numbers compared exactly (<see cref="ExactNumber"/>).
/// </summary>
public sealed class JsonSchema
{
    private readonly SchemaNode _root;

    private JsonSchema(SchemaNode root) => _root = root;

    /// <summary>Compiles a schema document. Throws <see cref="ArgumentException"/> for a $ref it cannot resolve.</summary>
    public static JsonSchema Parse(string schemaJson)
    {
        var document = JsonNode.Parse(schemaJson) ?? throw new ArgumentException("empty schema", nameof(schemaJson));
        return new JsonSchema(new SchemaCompiler(document).Compile(document, "#"));
    }

    /// <summary>True when <paramref name="instance"/> is valid; <paramref name="error"/> names the first failing path.</summary>
    public bool Validate(JsonNode? instance, out string? error)
    {
        error = null;
        return _root.Validate(instance, "$", ref error);
    }

    private sealed class SchemaCompiler(JsonNode document)
    {
        private readonly Dictionary<string, SchemaNode> _byPointer = new(StringComparer.Ordinal);

        public SchemaNode Compile(JsonNode? schema, string pointer)
        {
            if (_byPointer.TryGetValue(pointer, out var existing)) return existing;
            var node = new SchemaNode();
            _byPointer[pointer] = node; // registered before filling, so recursive $refs resolve
            switch (schema)
            {
                case JsonValue v when v.TryGetValue(out bool b):
                    node.AlwaysFalse = !b;
                    return node;
                case JsonObject o:
                    Fill(node, o, pointer);
                    return node;
                default:
                    throw new ArgumentException($"schema at {pointer} is neither an object nor a boolean");
            }
        }

        private void Fill(SchemaNode n, JsonObject o, string pointer)
        {
            foreach (var (key, value) in o)
            {
                switch (key)
                {
                    case "type":
                        n.Types = value is JsonArray a ? a.Aggregate(JsonTypes.None, (t, x) => t | ParseType(x!.GetValue<string>()))
                            : ParseType(value!.GetValue<string>());
                        break;
                    case "properties":
                        n.Properties = ((JsonObject)value!).ToDictionary(p => p.Key,
                            p => Compile(p.Value, $"{pointer}/properties/{p.Key}"), StringComparer.Ordinal);
                        break;
                    case "required":
                        n.Required = ((JsonArray)value!).Select(x => x!.GetValue<string>()).ToArray();
                        break;
                    case "additionalProperties":
                        n.AdditionalProperties = Compile(value, pointer + "/additionalProperties");
                        break;
                    case "pattern":
                        // ECMAScript semantics, as JSON Schema asks, in linear time (no backtracking, so no timeout needed).
                        n.Pattern = EcmaPattern.Compile(value!.GetValue<string>());
                        break;
                    case "minLength": n.MinLength = value!.GetValue<int>(); break;
                    case "maxLength": n.MaxLength = value!.GetValue<int>(); break;
                    case "minimum": n.Minimum = Number(value!); break;
                    case "maximum": n.Maximum = Number(value!); break;
                    case "items": n.Items = Compile(value, pointer + "/items"); break;
                    case "minItems": n.MinItems = value!.GetValue<int>(); break;
                    case "maxItems": n.MaxItems = value!.GetValue<int>(); break;
                    case "$ref": n.RefPointer = value!.GetValue<string>(); n.Compiler = this; break;
                    case "oneOf": n.OneOf = CompileAll(value!, pointer + "/oneOf"); break;
                    case "anyOf": n.AnyOf = CompileAll(value!, pointer + "/anyOf"); break;
                    case "allOf": n.AllOf = CompileAll(value!, pointer + "/allOf"); break;
                    case "enum": n.Enum = ((JsonArray)value!).Select(x => x?.DeepClone()).ToArray(); break;
                    case "const": n.Const = value?.DeepClone(); n.HasConst = true; break;
                }
            }
        }

        private SchemaNode[] CompileAll(JsonNode array, string pointer)
            => ((JsonArray)array).Select((x, i) => Compile(x, $"{pointer}/{i}")).ToArray();

        public SchemaNode Resolve(string reference)
        {
            if (_byPointer.TryGetValue(reference, out var known)) return known;
            if (!reference.StartsWith("#/", StringComparison.Ordinal))
                throw new ArgumentException($"only local $refs are supported, not '{reference}'");
            JsonNode? target = document;
            foreach (var part in reference[2..].Split('/'))
                target = (target as JsonObject)?[part.Replace("~1", "/").Replace("~0", "~")]
                         ?? throw new ArgumentException($"$ref '{reference}' does not resolve");
            return Compile(target, reference);
        }

        private static ExactNumber Number(JsonNode n) => ExactNumber.TryParse(n.ToJsonString(), out var x) ? x
            : throw new ArgumentException($"'{n.ToJsonString()}' is not a JSON number");

        private static JsonTypes ParseType(string t) => t switch
        {
            "object" => JsonTypes.Object,
            "array" => JsonTypes.Array,
            "string" => JsonTypes.String,
            "integer" => JsonTypes.Integer,
            "number" => JsonTypes.Number | JsonTypes.Integer,
            "boolean" => JsonTypes.Boolean,
            "null" => JsonTypes.Null,
            _ => throw new ArgumentException($"unknown type '{t}'"),
        };
    }

    [Flags]
    private enum JsonTypes { None = 0, Object = 1, Array = 2, String = 4, Integer = 8, Number = 16, Boolean = 32, Null = 64 }

    private sealed class SchemaNode
    {
        public bool AlwaysFalse;
        public JsonTypes? Types;
        public Dictionary<string, SchemaNode>? Properties;
        public string[]? Required;
        public SchemaNode? AdditionalProperties;
        public System.Text.RegularExpressions.Regex? Pattern;
        public int? MinLength, MaxLength, MinItems, MaxItems;
        public ExactNumber? Minimum, Maximum;
        public SchemaNode? Items;
        public string? RefPointer;
        public SchemaCompiler? Compiler;
        private SchemaNode? _ref;
        public SchemaNode[]? OneOf, AnyOf, AllOf;
        public JsonNode?[]? Enum;
        public JsonNode? Const;
        public bool HasConst;

        public bool Validate(JsonNode? instance, string path, ref string? error)
        {
            if (AlwaysFalse) return Fail(ref error, path, "no value is allowed here");
            if (RefPointer is not null)
            {
                _ref ??= Compiler!.Resolve(RefPointer);
                if (!_ref.Validate(instance, path, ref error)) return false;
            }
            var kind = KindOf(instance, out var number);
            if (Types is { } types && (types & kind) == 0)
                return Fail(ref error, path, $"has the wrong type (expected {types})");
            if (HasConst && !JsonNode.DeepEquals(instance, Const)) return Fail(ref error, path, "differs from the constant");
            if (Enum is not null && !Enum.Any(e => JsonNode.DeepEquals(instance, e))) return Fail(ref error, path, "is not one of the allowed values");
            switch (kind)
            {
                case JsonTypes.String:
                    if (!ValidateString(instance!.GetValue<string>(), path, ref error)) return false;
                    break;
                case JsonTypes.Integer:
                case JsonTypes.Number:
                    if (Minimum is { } min && number.CompareTo(min) < 0) return Fail(ref error, path, "is below the minimum");
                    if (Maximum is { } max && number.CompareTo(max) > 0) return Fail(ref error, path, "is above the maximum");
                    break;
                case JsonTypes.Array:
                    if (!ValidateArray((JsonArray)instance!, path, ref error)) return false;
                    break;
                case JsonTypes.Object:
                    if (!ValidateObject((JsonObject)instance!, path, ref error)) return false;
                    break;
            }
            if (AllOf is not null)
                foreach (var s in AllOf)
                    if (!s.Validate(instance, path, ref error)) return false;
            if (AnyOf is not null)
            {
                string? ignored = null;
                if (!AnyOf.Any(s => s.Validate(instance, path, ref ignored))) return Fail(ref error, path, "matches none of anyOf");
            }
            if (OneOf is not null)
            {
                string? ignored = null;
                var matches = 0;
                foreach (var s in OneOf)
                    if (s.Validate(instance, path, ref ignored)) matches++;
                if (matches != 1) return Fail(ref error, path, $"matches {matches} of oneOf (exactly one required)");
            }
            return true;
        }

        private bool ValidateString(string s, string path, ref string? error)
        {
            if (MinLength is not null || MaxLength is not null)
            {
                // JSON Schema counts code points, not UTF-16 units.
                var length = 0;
                foreach (var _ in s.EnumerateRunes()) length++;
                if (length < MinLength) return Fail(ref error, path, $"is shorter than {MinLength}");
                if (length > MaxLength) return Fail(ref error, path, $"is longer than {MaxLength}");
            }
            if (Pattern is not null && !Pattern.IsMatch(s)) return Fail(ref error, path, $"does not match {Pattern}");
            return true;
        }

        private bool ValidateArray(JsonArray a, string path, ref string? error)
        {
            if (a.Count < MinItems) return Fail(ref error, path, $"has fewer than {MinItems} items");
            if (a.Count > MaxItems) return Fail(ref error, path, $"has more than {MaxItems} items");
            if (Items is not null)
                for (var i = 0; i < a.Count; i++)
                    if (!Items.Validate(a[i], $"{path}[{i}]", ref error)) return false;
            return true;
        }

        private bool ValidateObject(JsonObject o, string path, ref string? error)
        {
            if (Required is not null)
                foreach (var name in Required)
                    if (!o.ContainsKey(name)) return Fail(ref error, path, $"lacks required '{name}'");
            foreach (var (key, value) in o)
            {
                if (Properties is not null && Properties.TryGetValue(key, out var property))
                {
                    if (!property.Validate(value, $"{path}.{key}", ref error)) return false;
                }
                else if (AdditionalProperties is not null && !AdditionalProperties.Validate(value, $"{path}.{key}", ref error))
                {
                    return false;
                }
            }
            return true;
        }

        private static JsonTypes KindOf(JsonNode? node, out ExactNumber number)
        {
            number = default;
            switch (node)
            {
                case null: return JsonTypes.Null;
                case JsonObject: return JsonTypes.Object;
                case JsonArray: return JsonTypes.Array;
            }
            var value = (JsonValue)node;
            switch (value.GetValueKind())
            {
                case JsonValueKind.String: return JsonTypes.String;
                case JsonValueKind.True:
                case JsonValueKind.False: return JsonTypes.Boolean;
                case JsonValueKind.Number:
                    // Exact value: "integer" means no fractional part at all, and bounds compare without rounding.
                    if (!ExactNumber.TryFrom(value, out number)) return JsonTypes.None;
                    return number.IsInteger ? JsonTypes.Integer : JsonTypes.Number;
                default: return JsonTypes.None;
            }
        }

        private static bool Fail(ref string? error, string path, string message)
        {
            error ??= $"{path} {message}";
            return false;
        }
    }
}
