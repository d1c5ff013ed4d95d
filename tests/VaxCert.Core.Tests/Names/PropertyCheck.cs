using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;

namespace VaxCert.Core.Tests.Names;

/// <summary>Runs FsCheck properties from a fixed seed so a failure reproduces on every machine and every run.</summary>
internal static class PropertyCheck
{
    private static Config Fixed(int maxTest) => Config.QuickThrowOnFailure
        .WithMaxTest(maxTest)
        .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(0x5EED_2021UL, 0x9E37_79B9_7F4A_7C15UL), FSharpOption<int>.None)));

    /// <summary>Checks <paramref name="property"/> for every value <paramref name="gen"/> produces (fixed seed).</summary>
    public static void ForAll<T>(Gen<T> gen, Func<T, bool> property, int maxTest = 300) =>
        Check.One(Fixed(maxTest), Prop.ForAll(gen.ToArbitrary(), property));
}
