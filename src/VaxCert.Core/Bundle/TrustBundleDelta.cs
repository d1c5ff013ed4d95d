using System.Security.Cryptography;
using System.Text.Json;

namespace VaxCert.Core.Bundle;

/// <summary>
/// Delta updates of trust bundles as pure functions on <see cref="TrustBundleContent"/>: <see cref="Diff"/> (issuer side)
/// computes what changed between two full bundles, <see cref="TryApply"/> (verifier side) applies a delta to the full
/// bundle it names, so Apply(a, Diff(a, b)) holds the same trust material as b. Revocations and facility revocations only
/// grow (a revocation is never withdrawn; a partition disappears when it expires); everything else can be added, removed
/// or replaced.
/// </summary>
public static class TrustBundleDelta
{
    /// <summary>The delta that turns <paramref name="from"/> into <paramref name="to"/> (both full bundles).</summary>
    public static TrustBundleContent Diff(TrustBundleContent from, TrustBundleContent to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        if (from.IsDelta || to.IsDelta) throw new ArgumentException("a delta is computed between two full bundles");
        if (to.Sequence <= from.Sequence) throw new ArgumentException("the new bundle's sequence must be higher than the base's");

        var fromSigners = from.Signers.Select(s => Thumbprint(s.Der)).ToHashSet(StringComparer.Ordinal);
        var toSigners = to.Signers.Select(s => Thumbprint(s.Der)).ToHashSet(StringComparer.Ordinal);
        var fromFacility = from.FacilityCas.Concat(from.FacilityCertificates).Select(Thumbprint).ToHashSet(StringComparer.Ordinal);
        var toFacility = to.FacilityCas.Concat(to.FacilityCertificates).Select(Thumbprint).ToHashSet(StringComparer.Ordinal);
        var fromValueSets = from.ValueSets.ToDictionary(ValueSetId, v => v, StringComparer.Ordinal);

        return to with
        {
            BaseSequence = from.Sequence,
            Signers = to.Signers.Where(s => !fromSigners.Contains(Thumbprint(s.Der))).ToList(),
            RemovedSigners = fromSigners.Except(toSigners).Order(StringComparer.Ordinal).ToList(),
            FacilityCas = to.FacilityCas.Where(c => !fromFacility.Contains(Thumbprint(c))).ToList(),
            FacilityCertificates = to.FacilityCertificates.Where(c => !fromFacility.Contains(Thumbprint(c))).ToList(),
            RemovedFacilityCertificates = fromFacility.Except(toFacility).Order(StringComparer.Ordinal).ToList(),
            FacilityRevoked = to.FacilityRevoked.Except(from.FacilityRevoked, StringComparer.Ordinal).ToList(),
            Revocations = AddedRevocations(from.Revocations, to.Revocations),
            ValueSets = to.ValueSets.Where(v => !fromValueSets.TryGetValue(ValueSetId(v), out var old) || !old.AsSpan().SequenceEqual(v)).ToList(),
            Rules = to.Rules == from.Rules ? null : to.Rules ?? "[]",
        };
    }

    /// <summary>
    /// Applies <paramref name="delta"/> to <paramref name="current"/>; false with <paramref name="problem"/> when the delta
    /// does not fit (its base is not <paramref name="current"/>'s sequence, a revocation list changes its partition mode,
    /// a value set has no id). Never throws for a malformed delta.
    /// </summary>
    public static bool TryApply(TrustBundleContent current, TrustBundleContent delta, out TrustBundleContent? merged, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(delta);
        merged = null;
        if (current.IsDelta || !delta.IsDelta) { problem = "a delta applies to a full bundle"; return false; }
        if (delta.BaseSequence != current.Sequence) { problem = $"the delta applies to sequence {delta.BaseSequence}, this bundle is {current.Sequence}"; return false; }
        if (delta.Sequence <= current.Sequence) { problem = "the delta's sequence is not newer than its base"; return false; }
        try
        {
            var removedSigners = delta.RemovedSigners.ToHashSet(StringComparer.OrdinalIgnoreCase);
            var removedFacility = delta.RemovedFacilityCertificates.ToHashSet(StringComparer.OrdinalIgnoreCase);
            var valueSets = current.ValueSets.ToDictionary(ValueSetId, v => v, StringComparer.Ordinal);
            foreach (var v in delta.ValueSets) valueSets[ValueSetId(v)] = v;
            if (!TryMergeRevocations(current.Revocations, delta.Revocations, out var revocations, out problem)) return false;
            merged = current with
            {
                Issuer = delta.Issuer,
                Sequence = delta.Sequence,
                BaseSequence = null,
                IssuedAt = delta.IssuedAt,
                ExpiresAt = delta.ExpiresAt,
                Signers = UniqueByThumbprint(current.Signers.Where(s => !removedSigners.Contains(Thumbprint(s.Der))).Concat(delta.Signers), s => s.Der),
                RemovedSigners = [],
                FacilityCas = UniqueByThumbprint(current.FacilityCas.Where(c => !removedFacility.Contains(Thumbprint(c))).Concat(delta.FacilityCas), c => c),
                FacilityCertificates = UniqueByThumbprint(current.FacilityCertificates.Where(c => !removedFacility.Contains(Thumbprint(c)))
                    .Concat(delta.FacilityCertificates), c => c),
                RemovedFacilityCertificates = [],
                FacilityRevoked = current.FacilityRevoked.Concat(delta.FacilityRevoked).Distinct(StringComparer.Ordinal).ToList(),
                Revocations = revocations!,
                ValueSets = valueSets.Values.ToList(),
                Rules = delta.Rules ?? current.Rules,
            };
            problem = null;
            return true;
        }
        catch (FormatException e)
        {
            problem = e.Message;
            return false;
        }
    }

    /// <summary>SHA-256 of a certificate's DER, lower-case hex: how deltas name what they remove.</summary>
    public static string Thumbprint(byte[] der) => Convert.ToHexStringLower(SHA256.HashData(der));

    /// <summary>The valueSetId of an EU value-set JSON document; <see cref="FormatException"/> when it has none.</summary>
    public static string ValueSetId(byte[] json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("valueSetId", out var id)
                && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } text)
                return text;
        }
        catch (JsonException)
        {
        }
        throw new FormatException("a value set is not EU value-set JSON with a valueSetId");
    }

    private static List<T> UniqueByThumbprint<T>(IEnumerable<T> items, Func<T, byte[]> der)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return items.Where(i => seen.Add(Thumbprint(der(i)))).ToList();
    }

    private static string ListKey(BundleRevocationList l) => Convert.ToHexStringLower(l.KeyId) + "/" + l.HashType;

    private static string PartitionKey(BundleRevocationPartition p) => $"{p.X?.ToString() ?? "-"}/{p.Y?.ToString() ?? "-"}";

    private static List<BundleRevocationList> AddedRevocations(IReadOnlyList<BundleRevocationList> from, IReadOnlyList<BundleRevocationList> to)
    {
        var old = from.ToDictionary(ListKey, StringComparer.Ordinal);
        var added = new List<BundleRevocationList>();
        foreach (var list in to)
        {
            if (!old.TryGetValue(ListKey(list), out var before)) { added.Add(list); continue; }
            if (before.Mode != list.Mode) throw new ArgumentException($"revocation list {ListKey(list)} changes mode from {before.Mode} to {list.Mode}");
            var oldPartitions = before.Partitions.ToDictionary(PartitionKey, StringComparer.Ordinal);
            var partitions = new List<BundleRevocationPartition>();
            foreach (var p in list.Partitions)
            {
                var known = oldPartitions.TryGetValue(PartitionKey(p), out var op)
                    ? op.Hashes.Select(Convert.ToHexStringLower).ToHashSet(StringComparer.Ordinal) : [];
                var newHashes = p.Hashes.Where(h => !known.Contains(Convert.ToHexStringLower(h))).ToList();
                if (newHashes.Count > 0 || op is null || op.Expires != p.Expires) partitions.Add(p with { Hashes = newHashes });
            }
            if (partitions.Count > 0) added.Add(list with { Partitions = partitions });
        }
        return added;
    }

    private static bool TryMergeRevocations(IReadOnlyList<BundleRevocationList> current, IReadOnlyList<BundleRevocationList> delta,
        out List<BundleRevocationList>? merged, out string? problem)
    {
        merged = null;
        var lists = new Dictionary<string, (string Mode, BundleRevocationList List, Dictionary<string, BundleRevocationPartition> Partitions)>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var list in current.Concat(delta))
        {
            var key = ListKey(list);
            if (!lists.TryGetValue(key, out var entry))
            {
                entry = (list.Mode, list, new Dictionary<string, BundleRevocationPartition>(StringComparer.Ordinal));
                lists[key] = entry;
                order.Add(key);
            }
            else if (entry.Mode != list.Mode)
            {
                problem = $"revocation list {key} changes mode from {entry.Mode} to {list.Mode}";
                return false;
            }
            foreach (var p in list.Partitions)
            {
                var pk = PartitionKey(p);
                entry.Partitions[pk] = entry.Partitions.TryGetValue(pk, out var existing)
                    ? existing with
                    {
                        Expires = p.Expires > existing.Expires ? p.Expires : existing.Expires,
                        Hashes = existing.Hashes.Concat(p.Hashes).DistinctBy(Convert.ToHexStringLower).ToList(),
                    }
                    : p;
            }
        }
        merged = order.Select(k => lists[k].List with { Partitions = lists[k].Partitions.Values.ToList() }).ToList();
        problem = null;
        return true;
    }
}
