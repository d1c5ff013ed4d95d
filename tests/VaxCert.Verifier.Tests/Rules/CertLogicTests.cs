using VaxCert.Verifier.Rules;

namespace VaxCert.Verifier.Tests.Rules;

/// <summary>CertLogic behaviour beyond the official suite: JavaScript date arithmetic, and hostile rules or data.</summary>
public sealed class CertLogicTests
{
    private static CertLogicResult Eval(string expression, string data = "{}") => CertLogic.Evaluate(expression, data);

    [Theory]
    [InlineData("2020-02-29", 1, "day", "2020-03-01T00:00:00")]
    [InlineData("2020-02-29", 1, "month", "2020-03-29T00:00:00")]
    [InlineData("2020-02-29", 1, "year", "2021-03-01T00:00:00")]
    [InlineData("2021-01-31", 1, "month", "2021-03-03T00:00:00")]
    [InlineData("2021-06-01T10:00:00+02:00", 3, "hour", "2021-06-01T11:00:00")]
    [InlineData("2021-06-01T00:00:00.123456Z", 0, "day", "2021-06-01T00:00:00.123")]
    [InlineData("1990", 18, "year", "2008-12-31T00:00:00")]
    [InlineData("1990-02", 0, "day", "1990-02-28T00:00:00")]
    public void PlusTime_follows_the_specification_table_and_JavaScript_roll_over(string date, int amount, string unit, string expectedUtc)
    {
        var result = Eval($$"""{"plusTime": ["{{date}}", {{amount}}, "{{unit}}"]}""");
        Assert.True(result.Succeeded, result.Message);
        Assert.Equal(DateTimeOffset.Parse(expectedUtc + "Z"), Assert.IsType<DateTimeOffset>(result.Value));
    }

    [Theory]
    [InlineData("""{"plusTime": ["2021-02-30", 0, "day"]}""", CertLogicFailure.InvalidDate)]
    [InlineData("""{"plusTime": ["9999-12-31", 1, "year"]}""", CertLogicFailure.InvalidDate)]
    [InlineData("""{"plusTime": ["2021-01-01", 9223372036854775807, "month"]}""", CertLogicFailure.InvalidDate)]
    [InlineData("""{"plusTime": ["2021-01-01", 1, "week"]}""", CertLogicFailure.InvalidExpression)]
    [InlineData("""{"plusTime": ["２０２１-01-01", 0, "day"]}""", CertLogicFailure.InvalidDate)]
    [InlineData("""{"dccDateOfBirth": ["1990-1-1"]}""", CertLogicFailure.InvalidDate)]
    [InlineData("""{"<": ["a", "b"]}""", CertLogicFailure.TypeMismatch)]
    [InlineData("""{"after": [1, 2]}""", CertLogicFailure.TypeMismatch)]
    [InlineData("""{"in": ["a", "abc"]}""", CertLogicFailure.TypeMismatch)]
    [InlineData("""{"+": [9223372036854775807, 1]}""", CertLogicFailure.TypeMismatch)]
    [InlineData("""{"if": [{"plusTime": ["2021-01-01", 0, "day"]}, 1, 2]}""", CertLogicFailure.NotBoolsy)]
    [InlineData("""{"and": [true, 1.5]}""", CertLogicFailure.InvalidExpression)]
    [InlineData("""{"and": [true, {"var": "x"}]}""", CertLogicFailure.None)]
    [InlineData("""{"eval": ["rm -rf"]}""", CertLogicFailure.InvalidExpression)]
    [InlineData("""{"var": ["x", 1]}""", CertLogicFailure.InvalidExpression)]
    [InlineData("""{"===": [1, 2], "and": [1, 2]}""", CertLogicFailure.InvalidExpression)]
    [InlineData("""{"===": [1]}""", CertLogicFailure.InvalidExpression)]
    [InlineData("""{"if": []}""", CertLogicFailure.InvalidExpression)]
    [InlineData("null", CertLogicFailure.InvalidExpression)]
    [InlineData("{\"var\": ", CertLogicFailure.InvalidJson)]
    public void Errors_come_back_typed(string expression, CertLogicFailure expected)
    {
        var result = Eval(expression, """{"x": [1, 2]}""");
        Assert.Equal(expected, result.Failure);
        if (expected != CertLogicFailure.None) Assert.False(result.IsTruthy);
    }

    [Fact]
    public void Deep_nesting_is_refused_not_a_stack_overflow()
    {
        var deep = string.Concat(Enumerable.Repeat("""{"!": [""", 100_000)) + "true" + string.Concat(Enumerable.Repeat("]}", 100_000));
        Assert.Equal(CertLogicFailure.InvalidJson, Eval(deep).Failure);
        var deepData = string.Concat(Enumerable.Repeat("[", 100_000)) + string.Concat(Enumerable.Repeat("]", 100_000));
        Assert.Equal(CertLogicFailure.InvalidJson, Eval("""{"var": ""}""", deepData).Failure);
        // Already-parsed values built in code bypass the JSON parser's cap; the evaluator has its own.
        object? nested = true;
        for (var i = 0; i < 10_000; i++) nested = new Dictionary<string, object?> { ["!"] = new List<object?> { nested } };
        Assert.Equal(CertLogicFailure.InvalidExpression, CertLogic.Evaluate(nested, null).Failure);
    }

    [Fact]
    public void A_runaway_reduce_stops_at_the_step_budget()
    {
        // 200 rows of 1,000: 200,000 lambda calls, twice the default budget.
        var row = "[" + string.Join(",", Enumerable.Range(0, 1000)) + "]";
        var data = "{\"xs\": [" + string.Join(",", Enumerable.Repeat(row, 200)) + "]}";
        var inner = """{"reduce": [{"var": "current"}, {"+": [{"var": "accumulator"}, 1]}, 0]}""";
        var expression = $$"""{"reduce": [{"var": "xs"}, {{inner}}, 0]}""";
        Assert.Equal(CertLogicFailure.BudgetExceeded, Eval(expression, data).Failure);
        var generous = CertLogic.Evaluate(expression, data, new CertLogicLimits(MaxSteps: 10_000_000));
        Assert.Equal(1000L, generous.Value); // the last row's count: the lambda restarts at 0 per row
    }

    [Fact]
    public void Random_garbage_never_throws()
    {
        var random = new Random(13);
        string[] atoms = ["{\"var\":\"a\"}", "1", "\"x\"", "true", "[]", "{}", "null", "1.5", "{\"plusTime\":[\"2021\",1,\"day\"]}"];
        string[] ops = ["if", "and", "!", "===", "in", "+", "<", "after", "plusTime", "reduce", "extractFromUVCI", "dccDateOfBirth", "var", "x"];
        string Gen(int depth) => depth == 0 || random.Next(3) == 0
            ? atoms[random.Next(atoms.Length)]
            : $"{{\"{ops[random.Next(ops.Length)]}\": [{string.Join(",", Enumerable.Range(0, random.Next(5)).Select(_ => Gen(depth - 1)))}]}}";
        for (var i = 0; i < 20_000; i++)
        {
            var result = Eval(Gen(6), """{"a": [1, "2021-06-01", {"b": null}]}""");
            Assert.True(result.Succeeded || result.Message is not null);
        }
    }
}
