using System.Text.Json;

namespace VaxCert.Verifier.Rules;

/// <summary>CertLogic's value domain: conversion from JSON, truthiness and strict equality.</summary>
public static class CertLogicValues
{
    /// <summary>Converts a JSON element to a CertLogic value (see <see cref="CertLogicResult"/> for the types).</summary>
    /// <remarks>Duplicate object keys: the last one wins, as in JavaScript's JSON.parse.</remarks>
    public static object? FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => Number(element),
        JsonValueKind.Array => element.EnumerateArray().Select(FromJson).ToList(),
        _ => Object(element),
    };

    private static Dictionary<string, object?> Object(JsonElement element)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject()) map[property.Name] = FromJson(property.Value);
        return map;
    }

    private static object Number(JsonElement element)
    {
        if (element.TryGetInt64(out var integer)) return integer;
        var d = element.GetDouble();
        // 1.0 and 1e2 are integers in JavaScript (Number.isInteger), which CertLogic's reference implementation follows.
        return Math.Floor(d) == d && Math.Abs(d) <= 9_007_199_254_740_991 ? (long)d : d;
    }

    /// <summary>true for truthy, false for falsy, null for values that are neither (e.g. date-times, non-integers).</summary>
    public static bool? Boolsiness(object? value) => value switch
    {
        null => false,
        bool b => b,
        string s => s.Length > 0,
        long l => l != 0,
        double d => d == 0 ? false : double.IsNaN(d) ? null : true,
        IReadOnlyList<object?> a => a.Count > 0,
        IReadOnlyDictionary<string, object?> o => o.Count > 0,
        _ => null,
    };

    /// <summary>JavaScript's <c>===</c>: primitives by value, arrays, objects and date-times by identity.</summary>
    public static bool StrictEquals(object? left, object? right) => (left, right) switch
    {
        (null, null) => true,
        (bool a, bool b) => a == b,
        (string a, string b) => string.Equals(a, b, StringComparison.Ordinal),
        (long a, long b) => a == b,
        (long a, double b) => a == b,
        (double a, long b) => a == b,
        (double a, double b) => a == b,
        _ => left is not null && !(left is ValueType) && ReferenceEquals(left, right),
    };

    /// <summary>Structural equality (as a test suite's deepEqual): used to compare results with expected JSON.</summary>
    public static bool DeepEquals(object? left, object? right) => (left, right) switch
    {
        (IReadOnlyList<object?> a, IReadOnlyList<object?> b) => a.Count == b.Count && a.Zip(b).All(p => DeepEquals(p.First, p.Second)),
        (IReadOnlyDictionary<string, object?> a, IReadOnlyDictionary<string, object?> b)
            => a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var v) && DeepEquals(p.Value, v)),
        (DateTimeOffset a, DateTimeOffset b) => a == b,
        _ => StrictEquals(left, right),
    };
}
