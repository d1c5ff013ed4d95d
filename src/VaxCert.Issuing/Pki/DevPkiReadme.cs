using System.Text;
using VaxCert.Core.Pki;

namespace VaxCert.Issuing.Pki;

/// <summary>The README.md written next to the dev PKI, so the folder explains itself.</summary>
internal static class DevPkiReadme
{
    public static string Render(IReadOnlyList<DevFacility> facilities)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# keys-dev: VaxCert development PKI - NOT FOR PRODUCTION");
        sb.AppendLine();
        sb.AppendLine("**NOT FOR PRODUCTION. Every private key in this folder is public (it is committed to the repository).**");
        sb.AppendLine("Certificates signed with these keys prove nothing. They exist so the demo and the tests run with no setup.");
        sb.AppendLine();
        sb.AppendLine("Regenerate with `vaxcert pki init-dev --out keys-dev --rsa-facility --force` (new keys, same file names).");
        sb.AppendLine("Roles, lifetimes and rotation: docs/pki.md.");
        sb.AppendLine();
        sb.AppendLine("| File | Role | Key | Valid |");
        sb.AppendLine("|---|---|---|---|");
        sb.AppendLine($"| `{DevPkiLayout.CscaCertificate}` / `{DevPkiLayout.CscaKey}` | Ministry CSCA (root): signs the DSCs | EC P-384 | 2024-01-01 to 2039-12-31 |");
        sb.AppendLine($"| `{DevPkiLayout.DscEs256Certificate}` / `{DevPkiLayout.DscEs256Key}` | Ministry document signer, ES256, EKU vaccination | EC P-256 | 2024-01-01 to 2030-12-31 |");
        sb.AppendLine($"| `{DevPkiLayout.DscPs256Certificate}` / `{DevPkiLayout.DscPs256Key}` | Ministry document signer, PS256, EKU vaccination | RSA-2048 | 2024-01-01 to 2030-12-31 |");
        sb.AppendLine($"| `{DevPkiLayout.BundleSignerCertificate}` / `{DevPkiLayout.BundleSignerKey}` | Ministry trust-bundle signer (under the CSCA, bundle-signing EKU): signs offline trust bundles; verifier apps pin the CSCA | EC P-256 | 2024-01-01 to 2030-12-31 |");
        sb.AppendLine($"| `{DevPkiLayout.AuditLogPublicKey}` / `{DevPkiLayout.AuditLogKey}` | Merkle audit log key: signs the ledger's tree heads (`serve --dev`, `audit verify`/`check-proof --key`); no certificate | EC P-256 | - |");
        sb.AppendLine($"| `{DevPkiLayout.FacilityCaCertificate}` / `{DevPkiLayout.FacilityCaKey}` | Facility CA (own root, not under the CSCA): signs facility certificates | EC P-384 | 2024-01-01 to 2039-12-31 |");
        foreach (var f in facilities)
            sb.AppendLine($"| `facilities/{f.Code}.crt.pem` / `facilities/{f.Code}.key.pem` | Facility {f.Code}, {f.Name}; code in subject serialNumber | {(f.Rsa ? "RSA-2048" : "EC P-256")} | 2024-01-01 to 2030-12-31 |");
        sb.AppendLine($"| `{DevPkiLayout.FacilityRevocationList}` | Revoked facility certificates (serial hex or kid base64 per line); empty | - | - |");
        sb.AppendLine();
        sb.AppendLine("Private keys are PKCS#8 PEM (`BEGIN PRIVATE KEY`), certificates PEM (`BEGIN CERTIFICATE`).");
        return sb.ToString();
    }
}
