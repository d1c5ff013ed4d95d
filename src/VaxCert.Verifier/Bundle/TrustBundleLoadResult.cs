using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace VaxCert.Verifier.Bundle;

/// <summary>How <see cref="TrustBundleLoader"/> reads bundles: the clock and how far clocks may disagree.</summary>
public sealed record TrustBundleLoadOptions
{
    /// <summary>The clock ("now") for freshness.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Tolerance for a device clock that disagrees with the issuer's.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The defaults.</summary>
    public static TrustBundleLoadOptions Default { get; } = new();
}

/// <summary>
/// The answer of <see cref="TrustBundleLoader"/>: the bundle, or the typed reason it was refused. When the content could be
/// read (a stale or wrongly signed bundle), its sequence, issue and expiry times and age are filled in for display.
/// </summary>
public sealed class TrustBundleLoadResult
{
    internal TrustBundleLoadResult(TrustBundle? bundle, BundleFailure failure, string? message, DateTimeOffset checkedAt,
        long? sequence = null, DateTimeOffset? issuedAt = null, DateTimeOffset? expiresAt = null)
    {
        Bundle = bundle;
        Failure = failure;
        Message = message;
        CheckedAt = checkedAt;
        Sequence = sequence;
        IssuedAt = issuedAt;
        ExpiresAt = expiresAt;
    }

    /// <summary>The bundle, when loaded.</summary>
    public TrustBundle? Bundle { get; }

    /// <summary>None, or why it was refused.</summary>
    public BundleFailure Failure { get; }

    /// <summary>True when <see cref="Bundle"/> is set.</summary>
    [MemberNotNullWhen(true, nameof(Bundle))]
    public bool Succeeded => Failure == BundleFailure.None && Bundle is not null;

    /// <summary>Detail for logs and operators (never key material).</summary>
    public string? Message { get; }

    /// <summary>The "now" used.</summary>
    public DateTimeOffset CheckedAt { get; }

    /// <summary>The bundle's sequence, when its content could be read.</summary>
    public long? Sequence { get; }

    /// <summary>When the bundle was issued, when its content could be read.</summary>
    public DateTimeOffset? IssuedAt { get; }

    /// <summary>When the bundle expires, when its content could be read.</summary>
    public DateTimeOffset? ExpiresAt { get; }

    /// <summary>How old the bundle is (now minus its issue time), when its content could be read.</summary>
    public TimeSpan? Age => IssuedAt is { } issued ? CheckedAt - issued : null;

    /// <inheritdoc />
    public override string ToString() => Succeeded
        ? $"loaded sequence {Sequence}"
        : $"{Failure} ({(int)Failure})" + (Failure == BundleFailure.Expired && Age is { } age ? $", age {FormatAge(age)}" : "") +
          (Message is null ? "" : ": " + Message);

    /// <summary>"3d 4h 5m" (for people).</summary>
    public static string FormatAge(TimeSpan age)
    {
        if (age < TimeSpan.Zero) return "-" + FormatAge(-age);
        return age.TotalDays >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalDays}d {age.Hours}h {age.Minutes}m")
            : string.Create(CultureInfo.InvariantCulture, $"{age.Hours}h {age.Minutes}m");
    }
}
