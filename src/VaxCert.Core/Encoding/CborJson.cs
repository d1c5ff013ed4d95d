using System.Formats.Cbor;
using System.Globalization;
using System.Text.Json.Nodes;

namespace VaxCert.Core.Encoding;

/// <summary>
/// Reads one untrusted CBOR data item into a JSON tree (the DCC's natural form), accepting what real issuers send:
/// definite or indefinite lengths, any map order, tags 0/1 on dates, floats. Never throws; caps depth and sizes.
/// Text must be valid UTF-8 (<see cref="CborText"/>; otherwise <see cref="DecodeFailure.CborInvalid"/>). A byte string has
/// no JSON form: it is refused (<see cref="DecodeFailure.DccInvalid"/>) rather than shown as base64 text, which would let
/// bytes pass where the DCC requires text.
/// </summary>
public static class CborJson
{
    public static bool TryRead(CborReader reader, CborLimits limits, out JsonNode? node, out DecodeFailure failure)
    {
        try
        {
            node = ReadItem(reader, limits, 0);
            failure = DecodeFailure.None;
            return true;
        }
        catch (DepthExceededException)
        {
            node = null; failure = DecodeFailure.CborTooDeep; return false;
        }
        catch (NotJsonException)
        {
            node = null; failure = DecodeFailure.DccInvalid; return false;
        }
        catch (Exception e) when (e is CborContentException or InvalidOperationException or FormatException
                                      or OverflowException or LimitExceededException or ArgumentException)
        {
            node = null; failure = DecodeFailure.CborInvalid; return false;
        }
    }

    private sealed class DepthExceededException : Exception;
    private sealed class LimitExceededException : Exception;
    private sealed class NotJsonException : Exception;

    private static JsonNode? ReadItem(CborReader r, CborLimits limits, int depth)
    {
        if (depth > limits.MaxDepth) throw new DepthExceededException();
        switch (r.PeekState())
        {
            case CborReaderState.UnsignedInteger:
            case CborReaderState.NegativeInteger:
                return JsonValue.Create(r.ReadInt64());
            case CborReaderState.TextString:
            case CborReaderState.StartIndefiniteLengthTextString:
                return JsonValue.Create(ReadText(r, limits));
            case CborReaderState.ByteString:
            case CborReaderState.StartIndefiniteLengthByteString:
                throw new NotJsonException();
            case CborReaderState.StartArray:
            {
                var count = r.ReadStartArray();
                if (count > limits.MaxContainerItems) throw new LimitExceededException();
                var array = new JsonArray();
                while (r.PeekState() != CborReaderState.EndArray)
                {
                    if (array.Count >= limits.MaxContainerItems) throw new LimitExceededException();
                    array.Add(ReadItem(r, limits, depth + 1));
                }
                r.ReadEndArray();
                return array;
            }
            case CborReaderState.StartMap:
            {
                var count = r.ReadStartMap();
                if (count > limits.MaxContainerItems) throw new LimitExceededException();
                var obj = new JsonObject();
                while (r.PeekState() != CborReaderState.EndMap)
                {
                    if (obj.Count >= limits.MaxContainerItems) throw new LimitExceededException();
                    var key = ReadKey(r, limits);
                    var value = ReadItem(r, limits, depth + 1);
                    if (!obj.TryAdd(key, value)) throw new FormatException("duplicate map key");
                }
                r.ReadEndMap();
                return obj;
            }
            case CborReaderState.Tag:
            {
                var tag = r.ReadTag();
                var inner = ReadItem(r, limits, depth + 1);
                // Tag 1 (epoch seconds) becomes an RFC 3339 string so dates compare as instants; other tags are transparent.
                if (tag == CborTag.UnixTimeSeconds && inner is JsonValue v && v.TryGetValue(out long secs))
                    return JsonValue.Create(DateTimeOffset.FromUnixTimeSeconds(secs).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
                return inner;
            }
            case CborReaderState.HalfPrecisionFloat:
            case CborReaderState.SinglePrecisionFloat:
            case CborReaderState.DoublePrecisionFloat:
            {
                var d = r.ReadDouble();
                if (double.IsNaN(d) || double.IsInfinity(d)) throw new FormatException("non-finite number");
                return JsonValue.Create(d);
            }
            case CborReaderState.Boolean:
                return JsonValue.Create(r.ReadBoolean());
            case CborReaderState.Null:
                r.ReadNull();
                return null;
            default:
                throw new FormatException("unsupported CBOR item " + r.PeekState());
        }
    }

    private static string ReadText(CborReader r, CborLimits limits)
    {
        if (!CborText.TryRead(r, out var s)) throw new FormatException("text is not valid UTF-8");
        if (s.Length > limits.MaxStringBytes) throw new LimitExceededException();
        return s;
    }

    // The DCC uses text keys; integer keys (from odd issuers) keep their decimal form so nothing is silently dropped.
    private static string ReadKey(CborReader r, CborLimits limits) => r.PeekState() switch
    {
        CborReaderState.TextString or CborReaderState.StartIndefiniteLengthTextString => ReadText(r, limits),
        CborReaderState.UnsignedInteger or CborReaderState.NegativeInteger => r.ReadInt64().ToString(CultureInfo.InvariantCulture),
        _ => throw new FormatException("unsupported map key type"),
    };
}
