namespace VaxCert.Server.Configuration;

/// <summary>
/// Everything <c>vaxcert serve</c> needs, bound from (later wins) embedded defaults, a JSON file, VAXCERT_* environment
/// variables and command-line options. Holds no secrets: the token PIN is named by an environment variable, never given.
/// See docs/server.md for the file format.
/// </summary>
public sealed class ServerSettings
{
    /// <summary>Address and port to listen on, e.g. "127.0.0.1:50051" or "0.0.0.0:443"; port 0 picks a free port.</summary>
    public string Listen { get; set; } = "127.0.0.1:50051";

    /// <summary>Allow cleartext (h2c) on a non-loopback address. Anyone who can reach the port can issue. Tests and labs only.</summary>
    public bool InsecureListen { get; set; }

    /// <summary>Ledger spec: sqlite:PATH or postgres:... (LedgerSpec). No passwords here: use PGPASSWORD or a passfile.</summary>
    public string Ledger { get; set; } = "sqlite:.vaxcert/ledger.db";

    /// <summary>
    /// Allow the development defaults: the public dev DSC of <see cref="KeysDir"/> when no signer is configured, and its
    /// facility keys as facility trust when none is configured. Their private keys are in the repository, so without this
    /// (<c>--dev</c>) the server refuses to start unless both are configured.
    /// </summary>
    public bool Dev { get; set; }

    /// <summary>Development key folder (keys-dev layout): default DSC and facility trust with <see cref="Dev"/>.</summary>
    public string KeysDir { get; set; } = "keys-dev";

    /// <summary>Folder with facility-ca.crt.pem, facilities/*.crt.pem and facility-revoked.txt; defaults to <see cref="KeysDir"/>.</summary>
    public string? FacilityTrust { get; set; }

    /// <summary>
    /// File with the issuer's secret UVCI key (64 hex digits, mode 0600; <c>UvciKey</c>). When set, every record's UVCI must be
    /// the keyed derivation for (facility, record id), so UVCIs cannot be guessed. Never logged. Unset: not enforced.
    /// </summary>
    public string? UvciKeyFile { get; set; }

    /// <summary>
    /// PEM file of the Merkle audit log key (EC P-256): every ledger commit then stores a tree head signed with it
    /// (docs/ledger.md, "Merkle audit log"). Unset: with <see cref="Dev"/> the dev key of <see cref="KeysDir"/>
    /// (audit-log.key.pem) when present, otherwise heads are only signed on demand (<c>vaxcert audit sign-head</c>).
    /// </summary>
    public string? AuditLogKey { get; set; }

    /// <summary>The ministry document signer.</summary>
    public SignerSettings Signer { get; set; } = new();

    /// <summary>What goes into every certificate (issuer text, validity) and which vaccines may be certified.</summary>
    public IssuerPolicySettings Issuer { get; set; } = new();

    /// <summary>TLS; required for any non-loopback listener unless <see cref="InsecureListen"/>.</summary>
    public TlsSettings? Tls { get; set; }

    /// <summary>Callers identified by client certificate and what they may do.</summary>
    public List<CallerSettings> Callers { get; set; } = [];

    /// <summary>Per-caller rate limit.</summary>
    public RateLimitSettings RateLimit { get; set; } = new();

    /// <summary>Most records one IssueBatch call may carry (RESOURCE_EXHAUSTED above).</summary>
    public int MaxBatchRecords { get; set; } = 10_000;

    /// <summary>Largest request message in bytes (RESOURCE_EXHAUSTED above).</summary>
    public int MaxMessageBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>"json" (one JSON object per line) or "simple".</summary>
    public string LogFormat { get; set; } = "simple";

    /// <summary>
    /// ADDRESS:PORT of the Prometheus /metrics endpoint (HTTP/1.1, cleartext, no authentication: counts and timings only),
    /// a second listener of the same host; null or empty: no metrics endpoint. Port 0 picks one.
    /// </summary>
    public string? MetricsListen { get; set; }

    /// <summary>The facility trust folder in effect.</summary>
    public string FacilityTrustDirectory => string.IsNullOrEmpty(FacilityTrust) ? KeysDir : FacilityTrust;
}

/// <summary>The document signer: software PEM files or a PKCS#11 token key; neither set means the dev DSC of KeysDir (only with Dev).</summary>
public sealed class SignerSettings
{
    /// <summary>DSC certificate PEM (software key).</summary>
    public string? DscCert { get; set; }

    /// <summary>DSC private key PEM (software key, development only).</summary>
    public string? DscKey { get; set; }

    /// <summary>PKCS#11 module path (default: VAXCERT_PKCS11_MODULE or SoftHSM2).</summary>
    public string? Pkcs11Module { get; set; }

    /// <summary>Token label.</summary>
    public string? Token { get; set; }

    /// <summary>Key label on the token.</summary>
    public string? Key { get; set; }

    /// <summary>Name of the environment variable that holds the user PIN.</summary>
    public string? PinEnv { get; set; }

    /// <summary>Sessions kept open on the token.</summary>
    public int PoolSize { get; set; } = 2;
}

/// <summary>TLS with mandatory client certificates.</summary>
public sealed class TlsSettings
{
    /// <summary>Server certificate PEM.</summary>
    public string Certificate { get; set; } = "";

    /// <summary>Server private key PEM (protect it with file permissions).</summary>
    public string Key { get; set; } = "";

    /// <summary>PEM file with the CA certificate(s) client certificates must chain to.</summary>
    public string ClientCa { get; set; } = "";
}

/// <summary>One caller: matched by client certificate subject CN or SHA-256 thumbprint.</summary>
public sealed class CallerSettings
{
    /// <summary>Name used in logs and rate limits.</summary>
    public string Name { get; set; } = "";

    /// <summary>Client certificate subject common name to match (exact).</summary>
    public string? SubjectCn { get; set; }

    /// <summary>Client certificate SHA-256 thumbprint to match (hex, case-insensitive); takes precedence over the CN.</summary>
    public string? Thumbprint { get; set; }

    /// <summary>Facility codes this caller may submit records for; "*" means any.</summary>
    public List<string> Facilities { get; set; } = [];

    /// <summary>May revoke certificates.</summary>
    public bool CanRevoke { get; set; }

    /// <summary>"facility" (default), "operator" or "admin": operators and admins may run mass revocations (docs/grpc.md).</summary>
    public string? Role { get; set; }
}

/// <summary>Token bucket per caller: <see cref="PerSecond"/> records refill each second, up to <see cref="Burst"/>.</summary>
public sealed class RateLimitSettings
{
    /// <summary>Sustained records (or calls) per second.</summary>
    public double PerSecond { get; set; } = 2_000;

    /// <summary>Bucket size: the most records one caller can send at once (a batch needs this many tokens).</summary>
    public double Burst { get; set; } = 20_000;
}

/// <summary>
/// Issuance configuration; anything left unset keeps the built-in default (Decision 5772, the 8 licensed vaccines).
/// The issuer text (DCC v.is) is deliberately not configurable here: it is part of the bytes every facility co-signs, so
/// it is a national constant shared by the facility tool and the server (IssuerSettings.Default).
/// </summary>
public sealed class IssuerPolicySettings
{
    /// <summary>Months between iat and exp (Decision 5772: 12); exp never passes the DSC's notAfter.</summary>
    public int? ValidityMonths { get; set; }

    /// <summary>
    /// JSON issuance policy (format: <c>IssuancePolicy.ToJson()</c>, see docs/server.md): the vaccines Viet Nam certifies
    /// with their product, manufacturer and type codes, and dose limits. Checked against the EU value sets at start-up.
    /// </summary>
    public string? PolicyFile { get; set; }
}
