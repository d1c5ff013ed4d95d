using VaxCert.Core.Uvci;
using VaxCert.Testing;

namespace VaxCert.Core.Tests.Uvci;

/// <summary>Issue 12 item 1: UVCIs derived with the issuer's secret key are deterministic with it and unpredictable without it.</summary>
public class UvciKeyTests
{
    private static readonly string[] RecordIds = Enumerable.Range(1, 2_000).Select(i => $"2021-{i:D6}").ToArray();

    [Fact]
    public void The_same_key_derives_the_same_valid_uvci_and_the_facility_key_reproduces_it()
    {
        var key = UvciKey.Generate();
        var facilitySide = new DeterministicUvci("VN", key.ForFacility("HN001"));

        foreach (var id in RecordIds.Take(100))
        {
            var uvci = key.Derive("VN", "HN001", id);
            Assert.Equal(uvci, key.Derive("VN", "HN001", id));
            Assert.Equal(uvci, facilitySide.For("HN001", id));
            Assert.True(UvciFormat.IsValidStrict(uvci, "VN"), uvci);
            Assert.StartsWith("URN:UVCI:01:VN:HN001/", uvci);
        }
    }

    [Fact]
    public void Without_the_key_no_uvci_can_be_predicted()
    {
        var key = UvciKey.Generate();
        var keyed = RecordIds.Select(id => key.Derive("VN", "HN001", id)).ToHashSet();

        // The old unkeyed derivation, another issuer's key, and another facility's derived key all miss every UVCI.
        var unkeyed = new DeterministicUvci("VN");
        var otherIssuer = UvciKey.Generate();
        var otherFacilitysKey = new DeterministicUvci("VN", key.ForFacility("HCM01"));
        foreach (var id in RecordIds)
        {
            Assert.DoesNotContain(unkeyed.For("HN001", id), keyed);
            Assert.DoesNotContain(otherIssuer.Derive("VN", "HN001", id), keyed);
            Assert.DoesNotContain(otherFacilitysKey.For("HN001", id), keyed);
        }
        Assert.Equal(RecordIds.Length, keyed.Count); // and no two records share one
    }

    [Fact]
    public void A_key_file_round_trips_is_private_and_never_printed()
    {
        var dir = RepoPaths.NewTempDir("uvci-key");
        var path = Path.Combine(dir, "uvci.key");
        var key = UvciKey.Generate();
        key.Save(path);

        var loaded = UvciKey.Load(path);

        Assert.Equal(key.Derive("VN", "DN001", "R-1"), loaded.Derive("VN", "DN001", "R-1"));
        Assert.Equal("UvciKey(redacted)", loaded.ToString());
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        var secret = File.ReadAllText(path).Trim();
        File.WriteAllText(path, secret[..^2]);
        var error = Assert.Throws<ArgumentException>(() => UvciKey.Load(path));
        Assert.DoesNotContain(secret[..20], error.Message);
        Assert.Throws<ArgumentException>(() => UvciKey.Load(Path.Combine(dir, "missing.key")));
        Assert.Throws<ArgumentException>(() => UvciKey.FromBytes(new byte[16]));
    }
}
