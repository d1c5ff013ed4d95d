using VaxCert.Bench;
using VaxCert.Bench.Scenarios;

if (args is [ReissueScenarios.ChildMode, ..])
    return ReissueScenarios.Child(args); // the process reissue-1m SIGKILLs mid-run

// One tool, one JSON line per scenario. Usage: scripts/bench.sh [--seconds N] [scenario...]
var seconds = 3.0;
var names = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--seconds" && i + 1 < args.Length) seconds = double.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
    else if (args[i] == "--list") { foreach (var s in ScenarioRegistry.All) Console.WriteLine($"{s.Name}\t{s.Description}"); return 0; }
    else names.Add(args[i]);
}
var selected = names.Count == 0
    ? ScenarioRegistry.All.Where(s => s.RunByDefault).ToList()
    : names.Select(n => ScenarioRegistry.All.FirstOrDefault(s => s.Name == n)
        ?? throw new ArgumentException($"unknown scenario '{n}'; --list shows them")).ToList();
foreach (var scenario in selected)
{
    var result = scenario.Run(new BenchContext(TimeSpan.FromSeconds(seconds)));
    Console.WriteLine(result.ToJson());
}
return 0;
