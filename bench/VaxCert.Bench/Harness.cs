using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace VaxCert.Bench;

/// <summary>A named benchmark scenario.</summary>
public sealed record Scenario(string Name, string Description, Func<BenchContext, BenchResult> Run, bool RunByDefault = true);

/// <summary>Run parameters shared by all scenarios.</summary>
public sealed record BenchContext(TimeSpan Duration);

/// <summary>One JSON line: the scenario's rate, the same-process baseline's rate and their ratio (baseline / subject time).</summary>
public sealed record BenchResult(string Scenario, double OpsPerSecond, string Baseline, double BaselineOpsPerSecond,
    IReadOnlyDictionary<string, object>? Extra = null)
{
    /// <summary>Cost of one subject operation relative to one baseline operation (1.0 = same cost; higher = slower).</summary>
    public double Ratio => OpsPerSecond > 0 ? BaselineOpsPerSecond / OpsPerSecond : double.PositiveInfinity;

    public string ToJson()
    {
        var o = new JsonObject
        {
            ["scenario"] = Scenario,
            ["ops_per_s"] = Math.Round(OpsPerSecond, 1),
            ["baseline"] = Baseline,
            ["baseline_ops_per_s"] = Math.Round(BaselineOpsPerSecond, 1),
            ["ratio"] = Math.Round(Ratio, 3),
        };
        if (Extra is not null)
            foreach (var (k, v) in Extra)
                o[k] = v switch
                {
                    double d => JsonValue.Create(Math.Round(d, 3)),
                    int i => JsonValue.Create(i),
                    long l => JsonValue.Create(l),
                    bool b => JsonValue.Create(b),
                    JsonNode n => n,
                    _ => JsonValue.Create(v.ToString()),
                };
        o["machine"] = $"{Environment.ProcessorCount} cores, .NET {Environment.Version}, {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC";
        return o.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }
}

/// <summary>Throughput measurement: warm-up, then alternating rounds of subject and baseline so drift hits both alike.</summary>
public static class Measure
{
    /// <summary>Operations per second of <paramref name="op"/> run on one thread (median over rounds).</summary>
    public static double OpsPerSecond(Action op, TimeSpan duration, int rounds = 5)
    {
        var perRound = duration / rounds;
        for (var i = 0; i < 50; i++) op(); // warm-up: JIT, caches
        var rates = new List<double>(rounds);
        for (var r = 0; r < rounds; r++)
        {
            var sw = Stopwatch.StartNew();
            long n = 0;
            while (sw.Elapsed < perRound) { op(); n++; }
            rates.Add(n / sw.Elapsed.TotalSeconds);
        }
        rates.Sort();
        return rates[rates.Count / 2];
    }

    /// <summary>Subject and baseline measured in alternating rounds; returns (subject ops/s, baseline ops/s), medians.</summary>
    public static (double Subject, double Baseline) Paired(Action subject, Action baseline, TimeSpan duration, int rounds = 6)
    {
        var perRound = duration / (2 * rounds);
        for (var i = 0; i < 50; i++) { subject(); baseline(); }
        var s = new List<double>(rounds);
        var b = new List<double>(rounds);
        for (var r = 0; r < rounds; r++)
        {
            s.Add(Rate(subject, perRound));
            b.Add(Rate(baseline, perRound));
        }
        s.Sort(); b.Sort();
        return (s[rounds / 2], b[rounds / 2]);
    }

    private static double Rate(Action op, TimeSpan span)
    {
        var sw = Stopwatch.StartNew();
        long n = 0;
        while (sw.Elapsed < span) { op(); n++; }
        return n / sw.Elapsed.TotalSeconds;
    }

    /// <summary>Percentile (0..100) of a sample of durations in microseconds.</summary>
    public static double Percentile(List<double> sortedMicros, double p)
        => sortedMicros.Count == 0 ? double.NaN : sortedMicros[Math.Clamp((int)Math.Ceiling(p / 100 * sortedMicros.Count) - 1, 0, sortedMicros.Count - 1)];

    public static string Invariant(double d) => d.ToString("0.###", CultureInfo.InvariantCulture);
}
