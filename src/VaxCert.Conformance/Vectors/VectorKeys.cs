namespace VaxCert.Conformance.Vectors;

/// <summary>
/// Field names of the EU dgc-testdata vector format and of VaxCert's extensions to it (docs/conformance.md describes them).
/// </summary>
public static class VectorKeys
{
    /// <summary>Pipeline stages (EU).</summary>
    public const string Json = "JSON", Cbor = "CBOR", Cose = "COSE", Compressed = "COMPRESSED", Base45 = "BASE45",
        Prefix = "PREFIX", TwoDCode = "2DCODE", TestContext = "TESTCTX", ExpectedResults = "EXPECTEDRESULTS";

    /// <summary>TESTCTX fields (EU).</summary>
    public const string Version = "VERSION", Schema = "SCHEMA", Certificate = "CERTIFICATE", ValidationClock = "VALIDATIONCLOCK",
        Description = "DESCRIPTION";

    /// <summary>VaxCert: the verifier's reason code the vector must produce, as {"CODE": int, "NAME": string}.</summary>
    public const string ExpectedReason = "EXPECTEDREASON", ReasonCodeField = "CODE", ReasonNameField = "NAME";

    /// <summary>VaxCert TESTCTX extensions: CSCA anchor (base64 DER), facility CA and facility certificate (base64 DER).</summary>
    public const string Csca = "CSCA", FacilityCa = "FACILITYCA", FacilityCertificate = "FACILITYCERTIFICATE";

    /// <summary>VaxCert TESTCTX extension: revocation hashes {"UCI": [b64], "COUNTRYCODEUCI": [b64], "SIGNATURE": [b64]}.</summary>
    public const string Revocation = "REVOCATION";

    /// <summary>VaxCert TESTCTX extensions: when the trust list was issued (ISO-8601) and the maximum age accepted (seconds).</summary>
    public const string TrustListIssuedAt = "TRUSTLISTISSUEDAT", MaxTrustListAgeSeconds = "MAXTRUSTLISTAGESECONDS";

    /// <summary>VaxCert TESTCTX extension: "VN" applies Viet Nam's issuance policy stage.</summary>
    public const string Policy = "POLICY";

    /// <summary>The pseudo-flag under which the runner reports the EXPECTEDREASON comparison.</summary>
    public const string ReasonFlag = "EXPECTEDREASON";
}
