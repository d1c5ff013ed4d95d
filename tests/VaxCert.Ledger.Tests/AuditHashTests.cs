using FsCheck;
using FsCheck.Fluent;

namespace VaxCert.Ledger.Tests;

public sealed class AuditHashTests
{
    private static readonly DateTimeOffset T = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void Serialization_is_unambiguous_where_fields_meet()
    {
        // Length prefixes: moving characters from one field to the next changes the bytes.
        Check.QuickThrowOnFailure(Prop.ForAll<NonNull<string>, NonNull<string>, NonNull<string>>((a, b, c) =>
        {
            var (x, y) = (a.Get + b.Get, c.Get);
            var (u, v) = (a.Get, b.Get + c.Get);
            var same = (x, y) == (u, v);
            var bytesEqual = AuditHash.Serialize(1, T, "Issued", x, y, "{}", AuditHash.Genesis)
                .AsSpan().SequenceEqual(AuditHash.Serialize(1, T, "Issued", u, v, "{}", AuditHash.Genesis));
            return same == bytesEqual;
        }));
    }

    [Fact]
    public void Production_hash_agrees_with_the_independent_implementation_on_random_entries()
    {
        Check.QuickThrowOnFailure(Prop.ForAll<PositiveInt, NonNull<string>, NonNull<string>>((seq, subject, details) =>
        {
            var prev = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(details.Get));
            var time = T.AddTicks(seq.Get * 10L);
            var entry = new AuditEntry(seq.Get, time, "Revoked", subject.Get, "HCM", details.Get, prev, []);
            return AuditHash.Compute(entry).AsSpan().SequenceEqual(IndependentAuditHash.Of(entry));
        }));
    }

    [Fact]
    public void Walker_reports_a_repeated_seq_and_a_wrong_genesis()
    {
        var first = Entry(1, AuditHash.Genesis);
        var walker = new AuditChainWalker();
        Assert.True(walker.Accept(first));
        Assert.False(walker.Accept(first));
        Assert.Equal((1L, AuditBreakKind.SeqGap), (walker.FirstBreak!.Seq, walker.FirstBreak.Kind));

        var badGenesis = new AuditChainWalker();
        Assert.False(badGenesis.Accept(Entry(1, new byte[32].Select(_ => (byte)1).ToArray())));
        Assert.Equal(AuditBreakKind.PrevLinkBroken, badGenesis.FirstBreak!.Kind);
    }

    [Fact]
    public void Empty_chain_with_an_empty_head_is_intact_but_a_head_ahead_of_the_chain_is_not()
    {
        Assert.True(new AuditChainWalker().Finish(0, AuditHash.Genesis).Intact);
        var report = new AuditChainWalker().Finish(7, new byte[32]);
        Assert.Equal((7L, AuditBreakKind.HeadMismatch), (report.FirstBreak!.Seq, report.FirstBreak.Kind));
    }

    private static AuditEntry Entry(long seq, byte[] prev)
    {
        var e = new AuditEntry(seq, T, "Issued", "U", "F", "{}", prev, []);
        return e with { EntryHash = AuditHash.Compute(e) };
    }
}
