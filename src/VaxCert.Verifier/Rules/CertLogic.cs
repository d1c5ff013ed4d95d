using System.Globalization;
using System.Text.Json;

namespace VaxCert.Verifier.Rules;

/// <summary>
/// Evaluates CertLogic 1.3.3 expressions (the JsonLogic subset of the EU DCC business rules): var, if, and, !, ===, in,
/// +, &lt;, &gt;, &lt;=, &gt;=, after, before, not-after, not-before, plusTime, dccDateOfBirth, reduce, extractFromUVCI.
/// Never throws on hostile expressions or data: every error of the specification ("the evaluator throws") comes back
/// as a <see cref="CertLogicFailure"/>, and a step budget and depth cap bound the work. Thread-safe (no shared state).
/// </summary>
public static class CertLogic
{
    /// <summary>Parses and evaluates; invalid JSON is a typed failure too.</summary>
    public static CertLogicResult Evaluate(string expressionJson, string dataJson, CertLogicLimits? limits = null)
    {
        limits ??= CertLogicLimits.Default;
        if (!TryParse(expressionJson, limits, out var expression, out var error) || !TryParse(dataJson, limits, out var data, out error))
            return new CertLogicResult(null, CertLogicFailure.InvalidJson, error);
        return Evaluate(expression, data, limits);
    }

    /// <summary>Evaluates a parsed expression over parsed data (both already in CertLogic's value domain).</summary>
    public static CertLogicResult Evaluate(object? expression, object? data, CertLogicLimits? limits = null)
    {
        var run = new Run(limits ?? CertLogicLimits.Default);
        try
        {
            return CertLogicResult.Of(run.Evaluate(expression, data, 0));
        }
        catch (CertLogicException e)
        {
            return new CertLogicResult(null, e.Failure, e.Message);
        }
    }

    /// <summary>Parses JSON text into CertLogic values, within the depth cap.</summary>
    public static bool TryParse(string json, CertLogicLimits limits, out object? value, out string? error)
    {
        value = null;
        error = null;
        try
        {
            using var document = JsonDocument.Parse(json ?? "", new JsonDocumentOptions { MaxDepth = limits.MaxDepth });
            value = CertLogicValues.FromJson(document.RootElement);
            return true;
        }
        catch (JsonException e)
        {
            error = "not JSON within the depth cap: " + e.Message;
            return false;
        }
    }

    private sealed class CertLogicException(CertLogicFailure failure, string message) : Exception(message)
    {
        public CertLogicFailure Failure { get; } = failure;
    }

    private static CertLogicException Fail(CertLogicFailure failure, string message) => new(failure, message);

    private sealed class Run(CertLogicLimits limits)
    {
        private int _steps;

        public object? Evaluate(object? expression, object? data, int depth)
        {
            if (++_steps > limits.MaxSteps) throw Fail(CertLogicFailure.BudgetExceeded, $"more than {limits.MaxSteps} evaluation steps");
            if (depth > limits.MaxDepth) throw Fail(CertLogicFailure.InvalidExpression, $"expression nests deeper than {limits.MaxDepth}");
            switch (expression)
            {
                case string or bool or long:
                    return expression;
                case null:
                    throw Fail(CertLogicFailure.InvalidExpression, "null is not a CertLogic literal");
                case double:
                    throw Fail(CertLogicFailure.InvalidExpression, "only integer number literals are allowed");
                case IReadOnlyList<object?> array:
                {
                    var items = new List<object?>(array.Count);
                    foreach (var item in array) items.Add(Evaluate(item, data, depth + 1));
                    return items;
                }
                case IReadOnlyDictionary<string, object?> { Count: 1 } operation:
                {
                    var (op, operands) = operation.First();
                    if (op == "var") return Var(operands, data);
                    if (operands is not IReadOnlyList<object?> { Count: > 0 } args)
                        throw Fail(CertLogicFailure.InvalidExpression, $"operation \"{op}\" not of the form {{ \"{op}\": [ <operands> ] }}");
                    return Operation(op, args, data, depth + 1);
                }
                default:
                    throw Fail(CertLogicFailure.InvalidExpression, "an expression object must have exactly one key (its operator)");
            }
        }

        private object? Operation(string op, IReadOnlyList<object?> args, object? data, int depth)
        {
            switch (op)
            {
                case "if":
                    if (args.Count < 3) throw Fail(CertLogicFailure.InvalidExpression, "an if-operation needs a guard, a then and an else");
                    return Bool(Evaluate(args[0], data, depth), "if-guard") ? Evaluate(args[1], data, depth) : Evaluate(args[2], data, depth);
                case "and":
                {
                    if (args.Count < 2) throw Fail(CertLogicFailure.InvalidExpression, "an and-operation needs at least 2 operands");
                    object? last = true;
                    foreach (var arg in args)
                    {
                        last = Evaluate(arg, data, depth);
                        if (!Bool(last, "and-operand")) return last;
                    }
                    return last;
                }
                case "!":
                    return !Bool(Evaluate(args[0], data, depth), "operand of !");
                case "===":
                {
                    Arity(op, args, 2);
                    var (l, r) = (Evaluate(args[0], data, depth), Evaluate(args[1], data, depth));
                    return CertLogicValues.StrictEquals(l, r);
                }
                case "in":
                {
                    Arity(op, args, 2);
                    var (item, list) = (Evaluate(args[0], data, depth), Evaluate(args[1], data, depth));
                    if (list is not IReadOnlyList<object?> items) throw Fail(CertLogicFailure.TypeMismatch, "right-hand side of in must be an array");
                    return items.Any(x => CertLogicValues.StrictEquals(item, x));
                }
                case "+":
                {
                    Arity(op, args, 2);
                    var (l, r) = (Evaluate(args[0], data, depth), Evaluate(args[1], data, depth));
                    if (l is not long a || r is not long b) throw Fail(CertLogicFailure.TypeMismatch, "operands of + must both be integers");
                    try { return checked(a + b); }
                    catch (OverflowException) { throw Fail(CertLogicFailure.TypeMismatch, "integer overflow in +"); }
                }
                case "<" or ">" or "<=" or ">=":
                    return Compare(op, op, EvaluateComparands(op, args, data, depth), v => v is long, "integers");
                case "after" or "before" or "not-after" or "not-before":
                    return Compare(op, op switch { "after" => ">", "before" => "<", "not-after" => "<=", _ => ">=" },
                        EvaluateComparands(op, args, data, depth), v => v is DateTimeOffset, "date-times");
                case "plusTime":
                {
                    if (args.Count < 3) throw Fail(CertLogicFailure.InvalidExpression, "plusTime needs a date, an amount and a unit");
                    if (args[1] is not long amount) throw Fail(CertLogicFailure.InvalidExpression, "plusTime amount (#2) must be an integer literal");
                    if (args[2] is not string unit || !CertLogicDates.IsTimeUnit(unit))
                        throw Fail(CertLogicFailure.InvalidExpression, "plusTime unit (#3) must be year, month, day or hour");
                    if (Evaluate(args[0], data, depth) is not string text) throw Fail(CertLogicFailure.TypeMismatch, "plusTime date (#1) must be a string");
                    return CertLogicDates.PlusTime(text, amount, unit) ?? throw Fail(CertLogicFailure.InvalidDate, $"not an allowed date(-time) or out of range: \"{Clip(text)}\"");
                }
                case "dccDateOfBirth":
                {
                    if (Evaluate(args[0], data, depth) is not string text) throw Fail(CertLogicFailure.TypeMismatch, "operand of dccDateOfBirth must be a string");
                    return CertLogicDates.DateOfBirth(text) ?? throw Fail(CertLogicFailure.InvalidDate, $"not a DCC date of birth: \"{Clip(text)}\"");
                }
                case "reduce":
                {
                    if (args.Count < 3) throw Fail(CertLogicFailure.InvalidExpression, "reduce needs an operand, a lambda and an initial value");
                    var operand = Evaluate(args[0], data, depth);
                    if (operand is null) return Evaluate(args[2], data, depth);
                    if (operand is not IReadOnlyList<object?> items) throw Fail(CertLogicFailure.TypeMismatch, "operand of reduce must be an array or null");
                    var accumulator = Evaluate(args[2], data, depth);
                    foreach (var current in items)
                        accumulator = Evaluate(args[1], new Dictionary<string, object?> { ["accumulator"] = accumulator, ["current"] = current }, depth);
                    return accumulator;
                }
                case "extractFromUVCI":
                {
                    if (args.Count < 2) throw Fail(CertLogicFailure.InvalidExpression, "extractFromUVCI needs an operand and an index");
                    var operand = Evaluate(args[0], data, depth);
                    if (operand is not (null or string)) throw Fail(CertLogicFailure.TypeMismatch, "extractFromUVCI operand must be a string or null");
                    if (args[1] is not long index) throw Fail(CertLogicFailure.InvalidExpression, "extractFromUVCI index must be an integer");
                    return ExtractFromUvci(operand as string, index);
                }
                default:
                    throw Fail(CertLogicFailure.InvalidExpression, $"unknown operator \"{Clip(op)}\"");
            }
        }

        private List<object?> EvaluateComparands(string op, IReadOnlyList<object?> args, object? data, int depth)
        {
            if (args.Count is < 2 or > 3) throw Fail(CertLogicFailure.InvalidExpression, $"\"{op}\" needs 2 or 3 operands");
            return args.Select(a => Evaluate(a, data, depth)).ToList();
        }

        private static bool Compare(string op, string ordering, List<object?> values, Func<object?, bool> isComparable, string what)
        {
            if (!values.All(isComparable)) throw Fail(CertLogicFailure.TypeMismatch, $"all operands of \"{op}\" must be {what}");
            bool Holds(object? l, object? r)
            {
                var c = l is long a ? a.CompareTo((long)r!) : ((DateTimeOffset)l!).UtcTicks.CompareTo(((DateTimeOffset)r!).UtcTicks);
                return ordering switch { "<" => c < 0, ">" => c > 0, "<=" => c <= 0, _ => c >= 0 };
            }
            return Holds(values[0], values[1]) && (values.Count == 2 || Holds(values[1], values[2]));
        }

        private static void Arity(string op, IReadOnlyList<object?> args, int count)
        {
            if (args.Count != count) throw Fail(CertLogicFailure.InvalidExpression, $"\"{op}\" needs exactly {count} operands");
        }

        private static bool Bool(object? value, string what)
            => CertLogicValues.Boolsiness(value) ?? throw Fail(CertLogicFailure.NotBoolsy, $"{what} is neither truthy nor falsy");

        private static object? Var(object? path, object? data)
        {
            if (path is not string text) throw Fail(CertLogicFailure.InvalidExpression, "not of the form { \"var\": \"<path>\" }");
            if (text.Length == 0) return data;
            var current = data;
            foreach (var fragment in text.Split('.'))
            {
                if (current is null) return null;
                var index = LeadingInteger(fragment);
                current = current switch
                {
                    IReadOnlyList<object?> array => index is { } i && i >= 0 && i < array.Count ? array[(int)i] : null,
                    // JavaScript indexes objects by the property name; a numeric fragment names the key "0", "1"...
                    IReadOnlyDictionary<string, object?> map => map.GetValueOrDefault(index is { } k ? k.ToString(CultureInfo.InvariantCulture) : fragment),
                    _ => null,
                };
            }
            return current;
        }

        /// <summary>JavaScript's parseInt(fragment, 10): optional sign and leading decimal digits, else none.</summary>
        private static long? LeadingInteger(string fragment)
        {
            var span = fragment.AsSpan().TrimStart();
            var sign = span.Length > 0 && span[0] is '-' or '+' ? 1 : 0;
            var end = sign;
            while (end < span.Length && span[end] is >= '0' and <= '9') end++;
            if (end == sign) return null;
            return long.TryParse(span[..Math.Min(end, sign + 18)], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : null;
        }

        private static string? ExtractFromUvci(string? uvci, long index)
        {
            if (uvci is null || index < 0) return null;
            const string prefix = "URN:UVCI:";
            var body = uvci.StartsWith(prefix, StringComparison.Ordinal) ? uvci[prefix.Length..] : uvci;
            var fragments = body.Split('/', '#', ':');
            return index < fragments.Length ? fragments[index] : null;
        }

        private static string Clip(string text) => text.Length <= 40 ? text : text[..40] + "…";
    }
}
