using System.Text.Json;
using VaxCert.Testing;
using VaxCert.Verifier.Rules;

namespace VaxCert.Verifier.Tests.Rules;

/// <summary>The official CertLogic evaluator test suite (test data under Rules/CertLogicTestSuite, see its README).</summary>
public sealed class CertLogicTestSuiteTests
{
    private static string SuiteDirectory => Path.Combine(RepoPaths.Root, "tests", "VaxCert.Verifier.Tests", "Rules", "CertLogicTestSuite");

    public static TheoryData<string> SuiteFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(SuiteDirectory, "*.json").Order(StringComparer.Ordinal)) data.Add(Path.GetFileName(file));
        return data;
    }

    [Fact]
    public void The_suite_is_all_there()
    {
        Assert.Equal(14, Directory.GetFiles(SuiteDirectory, "*.json").Length);
    }

    [Theory]
    [MemberData(nameof(SuiteFiles))]
    public void Every_assertion_of_the_suite_file_passes(string file)
    {
        using var suite = JsonDocument.Parse(File.ReadAllText(Path.Combine(SuiteDirectory, file)));
        var root = suite.RootElement;
        if (Skipped(root)) return;
        var failures = new List<string>();
        var run = 0;
        foreach (var testCase in root.GetProperty("cases").EnumerateArray())
        {
            if (Skipped(testCase)) continue;
            var index = 0;
            foreach (var assertion in testCase.GetProperty("assertions").EnumerateArray())
            {
                index++;
                if (Skipped(assertion)) continue;
                var expression = assertion.TryGetProperty("certLogicExpression", out var own) ? own : testCase.GetProperty("certLogicExpression");
                var result = CertLogic.Evaluate(CertLogicValues.FromJson(expression), CertLogicValues.FromJson(assertion.GetProperty("data")));
                var expected = CertLogicValues.FromJson(assertion.GetProperty("expected"));
                run++;
                if (!result.Succeeded || !CertLogicValues.DeepEquals(expected, result.Value))
                {
                    var message = assertion.TryGetProperty("message", out var m) ? m.GetString() : $"#{index}";
                    failures.Add($"{testCase.GetProperty("name").GetString()} / {message}: expected {assertion.GetProperty("expected")}, " +
                                 $"got {(result.Succeeded ? JsonSerializer.Serialize(result.Value) : result.Failure + ": " + result.Message)}");
                }
            }
        }
        Assert.True(run > 0, "no assertion ran");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static bool Skipped(JsonElement element)
        => element.TryGetProperty("directive", out var d) && d.GetString() == "skip";
}
