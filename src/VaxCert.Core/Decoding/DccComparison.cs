using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace VaxCert.Core.Decoding;

/// <summary>
/// Semantic equality of two DCC JSON trees, as the EU test vectors require: map order does not count, numbers compare
/// by value, and strings that are both date-times compare as instants ("2021-05-29T19:21:13Z" equals "…+00:00").
/// </summary>
public static class DccComparison
{
    public static bool SemanticallyEqual(JsonNode? a, JsonNode? b)
    {
        switch (a, b)
        {
            case (null, null): return true;
            case (JsonObject oa, JsonObject ob):
                if (oa.Count != ob.Count) return false;
                foreach (var (key, va) in oa)
                    if (!ob.TryGetPropertyValue(key, out var vb) || !SemanticallyEqual(va, vb)) return false;
                return true;
            case (JsonArray xa, JsonArray xb):
                if (xa.Count != xb.Count) return false;
                for (var i = 0; i < xa.Count; i++)
                    if (!SemanticallyEqual(xa[i], xb[i])) return false;
                return true;
            case (JsonValue va, JsonValue vb):
                return ValuesEqual(va, vb);
            default:
                return false;
        }
    }

    private static bool ValuesEqual(JsonValue a, JsonValue b)
    {
        var ka = a.GetValueKind();
        var kb = b.GetValueKind();
        if (ka != kb) return false;
        switch (ka)
        {
            case JsonValueKind.Number:
                // Nodes may hold long, int or double; compare their JSON number text as decimals.
                return decimal.Parse(a.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)
                       == decimal.Parse(b.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
            case JsonValueKind.String:
                var sa = a.GetValue<string>();
                var sb = b.GetValue<string>();
                if (sa == sb) return true;
                return sa.Contains('T') && sb.Contains('T')
                       && TryInstant(sa, out var ia) && TryInstant(sb, out var ib) && ia == ib;
            default:
                return a.ToJsonString() == b.ToJsonString();
        }
    }

    private static bool TryInstant(string s, out DateTimeOffset instant)
        => DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out instant);
}
