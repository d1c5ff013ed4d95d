using VaxCert.Core.Issuance;
using VaxCert.Core.Model;
using VaxCert.Core.Pki;
using VaxCert.Core.Signing;
using VaxCert.Testing;

namespace VaxCert.Printing.Tests;

/// <summary>Real HC1 certificates signed with the committed development DSC (keys-dev), for printing and scanning tests.</summary>
internal static class IssuedSamples
{
    public static ICoseSigner DevDsc() => SoftwareCoseSigner.FromPemFiles(Path.Combine(RepoPaths.KeysDev, DevPkiLayout.DscEs256Certificate),
        Path.Combine(RepoPaths.KeysDev, DevPkiLayout.DscEs256Key));

    /// <summary>Nguyễn Thị Minh Khai, Comirnaty dose 2 of 2: every Vietnamese diacritic class the printer must keep.</summary>
    public static VaccinationRecord Khai() => SampleRecords.Create(7) with
    {
        FamilyName = "Nguyễn", GivenName = "Thị Minh Khai", DateOfBirth = "1987-05-23", Nationality = "VN",
        VaccineProduct = "EU/1/20/1528", Manufacturer = "ORG-100030215", VaccineType = "1119349007", DoseNumber = 2, TotalDoses = 2,
    };

    public static string Issue(VaccinationRecord record)
    {
        using var signer = DevDsc();
        var time = new FixedTimeProvider(new DateTimeOffset(2026, 6, 1, 9, 30, 0, TimeSpan.Zero));
        var result = Hc1Issuer.Create(signer, time: time).Issue(record);
        Assert.True(result.Succeeded, result.Message);
        return result.Certificate!.Hc1;
    }

    public static PrintableCertificate Printable(VaccinationRecord record)
    {
        var printable = PrintableCertificate.TryRead(Issue(record), out var problem);
        Assert.True(printable is not null, problem);
        return printable!;
    }
}
