using System.Globalization;
using System.Reflection;
using System.Text;
using VaxCert.Testing;

namespace VaxCert.Verifier.Tests.Sdk;

/// <summary>
/// The verifier SDK's public surface is what border and airline apps compile against, so it changes only on purpose: every
/// public or protected type and member of VaxCert.Verifier is compared with the committed VaxCert.Verifier.api.txt. To
/// change the surface deliberately, run this test with VAXCERT_UPDATE_API_BASELINE=1 and commit the rewritten file.
/// </summary>
public sealed class PublicApiBaselineTests
{
    private static string BaselinePath =>
        Path.Combine(RepoPaths.Root, "tests", "VaxCert.Verifier.Tests", "Sdk", "VaxCert.Verifier.api.txt");

    [Fact]
    public void Public_surface_of_the_verifier_sdk_matches_the_committed_baseline()
    {
        var actual = PublicApi.Describe(typeof(VaxCert.Verifier.VerificationResult).Assembly);
        if (Environment.GetEnvironmentVariable("VAXCERT_UPDATE_API_BASELINE") == "1")
            File.WriteAllText(BaselinePath, actual, new UTF8Encoding(false));
        Assert.True(File.Exists(BaselinePath), $"{BaselinePath} is missing; run with VAXCERT_UPDATE_API_BASELINE=1 to create it");
        var expected = File.ReadAllText(BaselinePath).ReplaceLineEndings("\n");
        var added = Lines(actual).Except(Lines(expected)).ToList();
        var removed = Lines(expected).Except(Lines(actual)).ToList();
        Assert.True(added.Count == 0 && removed.Count == 0,
            "The public API of VaxCert.Verifier changed. If that is deliberate, rerun with VAXCERT_UPDATE_API_BASELINE=1 " +
            "and commit the baseline.\nadded:\n  " + string.Join("\n  ", added) + "\nremoved:\n  " + string.Join("\n  ", removed));
    }

    [Fact]
    public void Describer_sees_members_types_and_enum_values()
    {
        // Guards the guard: a describer that listed nothing would make the baseline test pass vacuously.
        var text = PublicApi.Describe(typeof(PublicApiBaselineTests).Assembly);
        Assert.Contains("class VaxCert.Verifier.Tests.Sdk.PublicApiBaselineTests", text);
        Assert.Contains("  method Public_surface_of_the_verifier_sdk_matches_the_committed_baseline() : System.Void", text);
        Assert.DoesNotContain("BaselinePath", text); // private
        var sdk = PublicApi.Describe(typeof(VaxCert.Verifier.VerificationResult).Assembly);
        Assert.Matches(@"enum VaxCert\.Verifier\.ReasonCode\n(  field \w+ = -?\d+\n)+", sdk);
    }

    private static IEnumerable<string> Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>A stable text form of an assembly's public surface: one line per type, then its members indented, sorted.</summary>
internal static class PublicApi
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance |
                                          BindingFlags.Static | BindingFlags.DeclaredOnly;

    public static string Describe(Assembly assembly)
    {
        var sb = new StringBuilder();
        foreach (var type in assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            sb.Append(Kind(type)).Append(' ').Append(Name(type)).Append(Bases(type)).Append('\n');
            foreach (var line in Members(type).Order(StringComparer.Ordinal)) sb.Append("  ").Append(line).Append('\n');
        }
        return sb.ToString();
    }

    private static string Kind(Type t) =>
        t.IsEnum ? "enum" : t.IsInterface ? "interface" : t.IsValueType ? "struct" :
        typeof(Delegate).IsAssignableFrom(t) ? "delegate" :
        t.IsAbstract && t.IsSealed ? "static class" : t.IsAbstract ? "abstract class" : t.IsSealed ? "sealed class" : "class";

    private static string Bases(Type t)
    {
        if (t.IsEnum) return "";
        var bases = new List<string>();
        if (t.BaseType is { } b && b != typeof(object) && b != typeof(ValueType) && b != typeof(Enum)) bases.Add(Name(b));
        bases.AddRange(t.GetInterfaces().Where(i => i.IsPublic || i.IsNestedPublic).Select(Name).Order(StringComparer.Ordinal));
        return bases.Count == 0 ? "" : " : " + string.Join(", ", bases);
    }

    private static IEnumerable<string> Members(Type type)
    {
        if (type.IsEnum)
        {
            foreach (var f in type.GetFields(BindingFlags.Public | BindingFlags.Static))
                yield return $"field {f.Name} = {Convert.ToInt64(f.GetRawConstantValue(), CultureInfo.InvariantCulture)}";
            yield break;
        }
        foreach (var m in type.GetMembers(Declared))
        {
            if (m.Name.StartsWith('<')) continue; // compiler-generated (record Clone, backing fields)
            var line = m switch
            {
                ConstructorInfo c when Visible(c) => $"{Static(c)}ctor({Parameters(c)})",
                MethodInfo mi when Visible(mi) && !mi.IsSpecialName => $"{Static(mi)}method {mi.Name}{Generic(mi)}({Parameters(mi)}) : {Name(mi.ReturnType)}",
                MethodInfo op when Visible(op) && op.Name.StartsWith("op_", StringComparison.Ordinal) => $"operator {op.Name}({Parameters(op)}) : {Name(op.ReturnType)}",
                PropertyInfo p when Visible(p.GetMethod) || Visible(p.SetMethod) =>
                    $"{Static(p.GetMethod ?? p.SetMethod!)}property {Name(p.PropertyType)} {p.Name}{Indexer(p)} {{{Accessors(p)} }}",
                FieldInfo f when f.IsPublic || f.IsFamily || f.IsFamilyOrAssembly =>
                    $"{(f.IsLiteral ? "const " : f.IsStatic ? "static " : "")}{(f.IsInitOnly ? "readonly " : "")}field {Name(f.FieldType)} {f.Name}" +
                    (f.IsLiteral ? " = " + Convert.ToString(f.GetRawConstantValue(), CultureInfo.InvariantCulture) : ""),
                EventInfo e when Visible(e.AddMethod) => $"event {Name(e.EventHandlerType!)} {e.Name}",
                _ => null,
            };
            if (line is not null) yield return line;
        }
    }

    private static bool Visible(MethodBase? m) => m is not null && (m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly);

    private static string Static(MethodBase m) => m.IsStatic ? "static " : "";

    private static string Accessors(PropertyInfo p) =>
        (Visible(p.GetMethod) ? " get;" : "") +
        (Visible(p.SetMethod) ? (p.SetMethod!.ReturnParameter.GetRequiredCustomModifiers().Any(m => m.Name == "IsExternalInit") ? " init;" : " set;") : "");

    private static string Indexer(PropertyInfo p) =>
        p.GetIndexParameters() is { Length: > 0 } ps ? "[" + string.Join(", ", ps.Select(x => Name(x.ParameterType))) + "]" : "";

    private static string Generic(MethodInfo m) =>
        m.IsGenericMethodDefinition ? "<" + string.Join(", ", m.GetGenericArguments().Select(a => a.Name)) + ">" : "";

    private static string Parameters(MethodBase m) => string.Join(", ", m.GetParameters().Select(p =>
        (p.IsOut ? "out " : p.ParameterType.IsByRef ? "ref " : "") + Name(p.ParameterType) + " " + p.Name +
        (p.HasDefaultValue ? " = " + (p.DefaultValue is null ? "null" : Convert.ToString(p.DefaultValue, CultureInfo.InvariantCulture)) : "")));

    private static string Name(Type t)
    {
        if (t.IsByRef) return Name(t.GetElementType()!);
        if (t.IsArray) return Name(t.GetElementType()!) + "[" + new string(',', t.GetArrayRank() - 1) + "]";
        if (t.IsGenericParameter) return t.Name;
        var name = t.IsNested ? Name(t.DeclaringType!) + "." + t.Name : (t.Namespace is null ? "" : t.Namespace + ".") + t.Name;
        if (!t.IsGenericType) return name;
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        var args = t.GetGenericArguments().Select(Name);
        return (tick < 0 ? name : name[..tick]) + "<" + string.Join(", ", args) + ">";
    }
}
