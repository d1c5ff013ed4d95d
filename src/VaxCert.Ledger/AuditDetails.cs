using System.Text.Json;

namespace VaxCert.Ledger;

/// <summary>Builds and checks the details JSON of audit entries: a compact object of string properties, no personal data.</summary>
internal static class AuditDetails
{
    /// <summary>A compact JSON object with the given string properties, in the given order.</summary>
    public static string Of(params (string Name, string Value)[] properties)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in properties)
                writer.WriteString(name, value);
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Throws ArgumentException unless <paramref name="json"/> is a JSON object.</summary>
    public static void RequireObject(string json, string paramName)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new ArgumentException("audit details must be a JSON object", paramName);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException("audit details must be valid JSON: " + ex.Message, paramName, ex);
        }
    }
}
