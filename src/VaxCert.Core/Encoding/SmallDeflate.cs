using System.Buffers.Binary;
using System.Diagnostics;

namespace VaxCert.Core.Encoding;

/// <summary>
/// A managed zlib (RFC 1950/1951) encoder for inputs of at most <see cref="MaxInputLength"/> bytes: every certificate.
/// <para>
/// Why: zlib level 9 cost about as much as the ECDSA signature on a ~300-byte COSE message (deflateReset clears a 64 KiB
/// hash table, and the per-block work is sized for 16K-symbol blocks). This encoder makes the <em>same decisions</em> as
/// zlib 1.2.x level 9 (deflate_slow: lazy matching, longest-then-closest match, position 0 never matched; trees.c:
/// heap-built Huffman trees with the same tie-breaks and overflow fix, the same code-length run encoding), so its
/// Huffman blocks are bit-for-bit the ones zlib writes, with per-call state sized to the input. Inputs this small fit
/// one block, the window, and every hash chain (at most 1,023 earlier positions, under zlib's shortest chain limit of
/// 1,024), so the hash function used here (smaller than zlib's) cannot change which match is found.
/// </para>
/// <para>
/// One deliberate difference keeps the output never larger than zlib's: zlib picks a stored block when it is up to one
/// byte <em>longer</em> than the compressed block (it compares stored length + 4 with the compressed bytes, and the stored
/// block's 3 header bits cost a whole byte); here the stored block is taken only when it is not longer. Tests compare with
/// the system zlib byte for byte and inflate every output with two independent decoders.
/// </para>
/// <para>
/// Building zlib's dynamic Huffman trees is most of the work, yet on certificates the dynamic block almost never wins
/// (ES256: fixed Huffman, PS256: stored). So a dynamic block is first priced with a cheap optimal code, and zlib's exact
/// trees are built only when that price comes near the best of stored and fixed (see <c>EstimateDynamicBits</c>).
/// </para>
/// </summary>
internal static class SmallDeflate
{
    /// <summary>Largest input handled here; see the class remarks for why the limit keeps zlib's decisions.</summary>
    internal const int MaxInputLength = 1024;

    private const int MinMatch = 3, MaxMatch = 258;
    private const int EndBlock = 256, LCodes = 286, DCodes = 30, BlCodes = 19;
    private const int MaxBits = 15, MaxBlBits = 7;
    private const int Rep3To6 = 16, RepZ3To10 = 17, RepZ11To138 = 18;
    private const int HeapSize = 2 * LCodes + 1, NodeMask = 1023;
    // zlib level 9 (configuration_table[9]): good_length 32, max_lazy 258, nice_length 258, max_chain 4096.
    private const int GoodMatch = 32, MaxLazy = 258, NiceMatch = 258, MaxChain = 4096;
    private const int HashBits = 10;
    // How close the estimated dynamic block may come to the best of stored and fixed before zlib's trees are built.
    private const int DynamicMarginBytes = 6;

    private static readonly byte[] ExtraLBits = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
    private static readonly byte[] ExtraDBits = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
    // Extra bits of each literal/length symbol (0 for literals and end-of-block), so cost sums need no branch.
    private static readonly byte[] LitExtraBits = new byte[EndBlock + 1].Concat(ExtraLBits).ToArray();
    private static readonly byte[] ExtraBlBits = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 3, 7];
    private static readonly byte[] BlOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

    // Length (3..258, indexed by length - 3) to length code 0..28, and distance - 1 to distance code, as zlib's tables.
    private static readonly byte[] LengthCode = new byte[256];
    private static readonly ushort[] BaseLength = new ushort[29];
    private static readonly byte[] DistCode = new byte[512];
    private static readonly ushort[] BaseDist = new ushort[DCodes];
    private static readonly ushort[] FixedLitCode = new ushort[288];
    private static readonly byte[] FixedLitLen = new byte[288];
    private static readonly ushort[] FixedDistCode = new ushort[DCodes];
    private static readonly byte[] FixedDistLen = new byte[DCodes];

    private static readonly byte[] ReversedByte = Enumerable.Range(0, 256)
        .Select(b => (byte)(((b * 0x0802u & 0x22110u) | (b * 0x8020u & 0x88440u)) * 0x10101u >> 16)).ToArray();

    [ThreadStatic] private static Scratch? t_scratch;

    static SmallDeflate()
    {
        var length = 0;
        int code;
        for (code = 0; code < 28; code++)
        {
            BaseLength[code] = (ushort)length;
            for (var n = 0; n < 1 << ExtraLBits[code]; n++) LengthCode[length++] = (byte)code;
        }
        // Length 258 has its own code (285) with no extra bits, overwriting the last slot of code 284's range.
        LengthCode[length - 1] = (byte)code;
        BaseLength[28] = 255;
        var dist = 0;
        for (code = 0; code < 16; code++)
        {
            BaseDist[code] = (ushort)dist;
            for (var n = 0; n < 1 << ExtraDBits[code]; n++) DistCode[dist++] = (byte)code;
        }
        dist >>= 7;
        for (; code < DCodes; code++)
        {
            BaseDist[code] = (ushort)(dist << 7);
            for (var n = 0; n < 1 << (ExtraDBits[code] - 7); n++) DistCode[256 + dist++] = (byte)code;
        }
        for (var n = 0; n < 288; n++) FixedLitLen[n] = (byte)(n < 144 ? 8 : n < 256 ? 9 : n < 280 ? 7 : 8);
        AssignCodes(FixedLitLen, 287, FixedLitCode);
        Array.Fill(FixedDistLen, (byte)5);
        AssignCodes(FixedDistLen, DCodes - 1, FixedDistCode);
    }

    private static int DCode(int distMinus1) => distMinus1 < 256 ? DistCode[distMinus1] : DistCode[256 + (distMinus1 >> 7)];

    /// <summary>The zlib stream (header 78 DA, as level 9 writes) for <paramref name="data"/>.</summary>
    public static byte[] Compress(ReadOnlySpan<byte> data)
    {
        if (data.Length > MaxInputLength) throw new ArgumentOutOfRangeException(nameof(data), "input too large for SmallDeflate");
        var s = t_scratch ??= new Scratch();
        var symbols = FindMatches(data, s);
        return s.Encode(data, symbols);
    }

    /// <summary>
    /// zlib's deflate_slow for one block with everything in the window: tallies literal and (length, distance) symbols
    /// into the scratch buffers and returns how many there are.
    /// </summary>
    private static int FindMatches(ReadOnlySpan<byte> data, Scratch s)
    {
        var n = data.Length;
        var head = s.Head;
        var prev = s.Prev;
        Array.Clear(head); // 4 KiB, the only per-call clear (zlib's reset clears 64 KiB)
        Array.Clear(s.LitFreq);
        Array.Clear(s.DistFreq);
        var nsym = 0;
        int strstart = 0, matchLength = MinMatch - 1, matchStart = 0;
        var matchAvailable = false;
        while (strstart < n)
        {
            var lookahead = n - strstart;
            var hashHead = lookahead >= MinMatch ? Insert(data, strstart, head, prev) : 0;
            var prevLength = matchLength;
            var prevMatch = matchStart;
            matchLength = MinMatch - 1;
            // Position 0 doubles as zlib's "no entry" marker, so it is never a match candidate there either. zlib's
            // TOO_FAR rule (drop length-3 matches further than 4,096 back) cannot apply to inputs this small.
            if (hashHead != 0 && prevLength < MaxLazy)
                matchLength = LongestMatch(data, strstart, hashHead, prevLength, prev, ref matchStart);
            if (prevLength >= MinMatch && matchLength <= prevLength)
            {
                // The match found at the previous position is at least as long: emit it and skip over it.
                var maxInsert = strstart + lookahead - MinMatch;
                var length = prevLength;
                var distance = strstart - 1 - prevMatch;
                s.SymLength[nsym] = (ushort)length;
                s.SymDistance[nsym++] = (ushort)distance;
                s.LitFreq[LengthCode[length - MinMatch] + EndBlock + 1]++;
                s.DistFreq[DCode(distance - 1)]++;
                for (var k = prevLength - 2; k != 0; k--)
                    if (++strstart <= maxInsert) Insert(data, strstart, head, prev);
                matchAvailable = false;
                matchLength = MinMatch - 1;
                strstart++;
            }
            else
            {
                // Lazy evaluation: the previous byte becomes a literal only once we know no match starts there.
                if (matchAvailable) nsym = TallyLiteral(s, nsym, data[strstart - 1]);
                matchAvailable = true;
                strstart++;
            }
        }
        if (matchAvailable) nsym = TallyLiteral(s, nsym, data[strstart - 1]);
        return nsym;
    }

    private static int TallyLiteral(Scratch s, int nsym, byte literal)
    {
        s.SymLength[nsym] = literal;
        s.SymDistance[nsym] = 0;
        s.LitFreq[literal]++;
        return nsym + 1;
    }

    // Inserts the 3-byte string at pos into its hash chain; returns the previous head (0 = none).
    private static int Insert(ReadOnlySpan<byte> data, int pos, int[] head, int[] prev)
    {
        // Any hash gives zlib's matches here (chains are never cut short); a multiplicative one keeps chains short.
        var h = (int)((uint)(data[pos] | data[pos + 1] << 8 | data[pos + 2] << 16) * 2654435761u >> (32 - HashBits));
        var old = head[h];
        prev[pos] = old;
        head[h] = pos;
        return old;
    }

    /// <summary>
    /// zlib's longest_match: walks the chain from the most recent candidate, keeps a candidate only if strictly longer
    /// than the best so far (so the closest of equal lengths wins), stops at nice_length or the end of the input.
    /// </summary>
    private static int LongestMatch(ReadOnlySpan<byte> data, int strstart, int curMatch, int prevLength, int[] prev, ref int matchStart)
    {
        var chainLength = prevLength >= GoodMatch ? MaxChain >> 2 : MaxChain;
        var bestLen = prevLength;
        var maxLen = Math.Min(MaxMatch, data.Length - strstart);
        var nice = Math.Min(NiceMatch, maxLen);
        var scan = data.Slice(strstart, maxLen);
        do
        {
            // Cheap reject: a longer match must agree at the current best length (zlib checks the same byte first).
            if (bestLen < maxLen && data[curMatch + bestLen] != scan[bestLen]) continue;
            var len = scan.CommonPrefixLength(data.Slice(curMatch, maxLen));
            if (len > bestLen)
            {
                matchStart = curMatch;
                bestLen = len;
                if (len >= nice) break;
            }
        } while ((curMatch = prev[curMatch]) > 0 && --chainLength != 0);
        return Math.Min(bestLen, maxLen);
    }

    /// <summary>Canonical codes (RFC 1951 §3.2.2), bit-reversed for LSB-first output, for codes 0..maxCode.</summary>
    private static void AssignCodes(ReadOnlySpan<byte> lengths, int maxCode, Span<ushort> codes)
    {
        Span<int> count = stackalloc int[MaxBits + 1];
        for (var n = 0; n <= maxCode; n++) count[lengths[n]]++;
        count[0] = 0;
        Span<int> next = stackalloc int[MaxBits + 1];
        var code = 0;
        for (var bits = 1; bits <= MaxBits; bits++)
        {
            code = (code + count[bits - 1]) << 1;
            next[bits] = code;
        }
        for (var n = 0; n <= maxCode; n++)
        {
            int len = lengths[n];
            if (len == 0) continue;
            var c = next[len]++;
            codes[n] = (ushort)((ReversedByte[c & 0xFF] << 8 | ReversedByte[c >> 8]) >> (16 - len));
        }
    }

    /// <summary>Per-thread working memory, sized for <see cref="MaxInputLength"/>, so a call allocates only its output.</summary>
    private sealed class Scratch
    {
        public readonly int[] Head = new int[1 << HashBits];
        public readonly int[] Prev = new int[MaxInputLength];
        public readonly ushort[] SymLength = new ushort[MaxInputLength]; // literal byte, or match length when distance > 0
        public readonly ushort[] SymDistance = new ushort[MaxInputLength];
        public readonly int[] LitFreq = new int[LCodes];
        public readonly int[] DistFreq = new int[DCodes];
        private readonly int[] _blFreq = new int[BlCodes];
        private readonly byte[] _litLen = new byte[LCodes];
        private readonly byte[] _distLen = new byte[DCodes];
        private readonly byte[] _blLen = new byte[BlCodes];
        private readonly ushort[] _litCode = new ushort[LCodes];
        private readonly ushort[] _distCode = new ushort[DCodes];
        private readonly ushort[] _blCode = new ushort[BlCodes];
        // Code-length symbols of both trees: symbol in the low 5 bits, repeat-count extra bits above.
        private readonly ushort[] _treeOps = new ushort[LCodes + DCodes];
        // Huffman construction (trees.c): one heap and node arrays shared by the three trees.
        private readonly int[] _pq = new int[HeapSize + 1];     // the priority queue, 1-based (packed entries)
        private readonly int[] _order = new int[HeapSize];  // nodes in removal order at [_heapMax..HeapSize), root first
        private readonly int[] _dad = new int[HeapSize];
        private readonly int[] _nodeLen = new int[HeapSize];
        private readonly int[] _blCount = new int[MaxBits + 1];
        private int _heapMax;
        // The cheap estimate's two-queue Huffman.
        private readonly byte[] _fastLen = new byte[LCodes];
        private const int UnusedSlots = MaxInputLength + 3;
        private readonly int[] _freqStart = new int[UnusedSlots + 8];
        private readonly int[] _leafKeys = new int[LCodes + 1];
        private readonly int[] _parent = new int[2 * LCodes];
        private readonly int[] _nodeWeight = new int[LCodes + 1];
        private readonly int[] _nodeDepth = new int[LCodes];
        // The block is written here first (BitWriter stores 8 bytes at a time), then copied to the exact-size output.
        private readonly byte[] _bitScratch = new byte[MaxInputLength + 64];

        public byte[] Encode(ReadOnlySpan<byte> data, int nsym)
        {
            LitFreq[EndBlock] = 1;
            long dataFixed = 0;
            for (var n = 0; n < LCodes; n++) dataFixed += LitFreq[n] * (FixedLitLen[n] + LitExtraBits[n]);
            for (var n = 0; n < DCodes; n++) dataFixed += DistFreq[n] * (5 + ExtraDBits[n]);
            var fixedBytes = (int)((3 + dataFixed + 7) >> 3);
            var storedBytes = data.Length + 5; // 3 header bits padded to a byte, LEN, NLEN, the data

            // Building zlib's dynamic trees is most of the encoder's work, and on certificates a dynamic block almost
            // never wins (1,000 samples: 2). So first price a dynamic block cheaply (see EstimateDynamicBits); only when
            // it comes within DynamicMarginBytes of the best of stored and fixed are zlib's exact trees built.
            int litMax = 0, distMax = 0, ops = 0, blCodes = 0, dynamicBytes = int.MaxValue;
            var estimate = EstimateDynamicBits();
            if (estimate < 0 || (int)((3 + estimate + 7) >> 3) < Math.Min(fixedBytes, storedBytes) + DynamicMarginBytes)
                dynamicBytes = BuildDynamic(out litMax, out distMax, out ops, out blCodes);

            // zlib prefers fixed over dynamic on a tie, and stored over both on a tie (see the class remarks).
            var useFixed = fixedBytes <= dynamicBytes;
            var compressedBytes = useFixed ? fixedBytes : dynamicBytes;
            var blockBytes = Math.Min(storedBytes, compressedBytes);
            var output = new byte[2 + blockBytes + 4];
            output[0] = 0x78;
            output[1] = 0xDA; // the header zlib level 9 writes (32 KiB window, maximum compression)
            if (storedBytes <= compressedBytes)
            {
                output[2] = 1; // BFINAL = 1, BTYPE = 00, then padding to the byte boundary
                BinaryPrimitives.WriteUInt16LittleEndian(output.AsSpan(3), (ushort)data.Length);
                BinaryPrimitives.WriteUInt16LittleEndian(output.AsSpan(5), (ushort)~data.Length);
                data.CopyTo(output.AsSpan(7));
            }
            else
            {
                var w = new BitWriter(_bitScratch);
                if (useFixed)
                {
                    w.Write(1 | (1 << 1), 3); // BFINAL = 1, BTYPE = 01
                    WriteSymbols(ref w, nsym, FixedLitCode, FixedLitLen, FixedDistCode, FixedDistLen);
                }
                else
                {
                    w.Write(1 | (2 << 1), 3); // BFINAL = 1, BTYPE = 10
                    AssignCodes(_litLen, litMax, _litCode);
                    AssignCodes(_distLen, distMax, _distCode);
                    AssignCodes(_blLen, BlCodes - 1, _blCode);
                    w.Write(litMax + 1 - 257, 5);
                    w.Write(distMax + 1 - 1, 5);
                    w.Write(blCodes - 4, 4);
                    for (var i = 0; i < blCodes; i++) w.Write(_blLen[BlOrder[i]], 3);
                    for (var i = 0; i < ops; i++)
                    {
                        var sym = _treeOps[i] & 31;
                        w.Write(_blCode[sym], _blLen[sym]);
                        if (ExtraBlBits[sym] > 0) w.Write(_treeOps[i] >> 5, ExtraBlBits[sym]);
                    }
                    WriteSymbols(ref w, nsym, _litCode, _litLen, _distCode, _distLen);
                }
                Debug.Assert(w.Length == blockBytes);
                _bitScratch.AsSpan(0, blockBytes).CopyTo(output.AsSpan(2));
            }
            BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(output.Length - 4), Adler32(data));
            return output;
        }

        /// <summary>zlib's dynamic trees (exactly as trees.c builds them) and the dynamic block's size in bytes.</summary>
        private int BuildDynamic(out int litMax, out int distMax, out int ops, out int blCodes)
        {
            litMax = BuildTree(LitFreq, LCodes, MaxBits, _litLen);
            distMax = BuildTree(DistFreq, DCodes, MaxBits, _distLen);
            var treeBits = TreeHeaderBits(_litLen, litMax, distMax, out ops, out blCodes);
            long data = 0;
            for (var n = 0; n <= litMax; n++)
                if (LitFreq[n] != 0) data += (long)LitFreq[n] * (_litLen[n] + (n > EndBlock ? ExtraLBits[n - EndBlock - 1] : 0));
            for (var n = 0; n <= distMax; n++)
                if (DistFreq[n] != 0) data += (long)DistFreq[n] * (_distLen[n] + ExtraDBits[n]);
            return (int)((3 + treeBits + data + 7) >> 3);
        }

        /// <summary>
        /// Bits of the dynamic block header (HLIT, HDIST, HCLEN, the code-length code and the run-length coded lengths)
        /// for the given literal/length lengths and the distance lengths in _distLen; leaves the operations in _treeOps
        /// and the code-length code in _blLen.
        /// </summary>
        private long TreeHeaderBits(byte[] litLen, int litMax, int distMax, out int ops, out int blCodes)
        {
            var litOps = RunLengths(litLen, litMax, _treeOps);
            ops = litOps + RunLengths(_distLen, distMax, _treeOps.AsSpan(litOps));
            // Counted into two tables (even and odd operations) and summed, so that runs of one operation do not wait
            // on one counter's increments.
            Span<int> odd = stackalloc int[BlCodes];
            Array.Clear(_blFreq);
            var i2 = 0;
            for (; i2 + 1 < ops; i2 += 2)
            {
                _blFreq[_treeOps[i2] & 31]++;
                odd[_treeOps[i2 + 1] & 31]++;
            }
            if (i2 < ops) _blFreq[_treeOps[i2] & 31]++;
            for (var s = 0; s < BlCodes; s++) _blFreq[s] += odd[s];
            BuildTree(_blFreq, BlCodes, MaxBlBits, _blLen);
            // HCLEN: code-length codes are sent in BlOrder, trailing zero lengths dropped (at least 4 sent).
            blCodes = BlCodes;
            while (blCodes > 4 && _blLen[BlOrder[blCodes - 1]] == 0) blCodes--;
            long bits = 5 + 5 + 4 + 3 * blCodes;
            for (var s = 0; s < BlCodes; s++) bits += _blFreq[s] * (_blLen[s] + ExtraBlBits[s]);
            return bits;
        }

        /// <summary>
        /// The exact size in bits (without the 3-bit block header) of <em>a</em> dynamic block for these symbols, with
        /// an optimal literal/length code built the cheap way (leaves counting-sorted, then the two-queue merge, no
        /// heap); -1 when that code would need lengths over 15 (then the caller builds zlib's trees). Its data bits
        /// equal zlib's (both codes are optimal, and no code for inputs this small needs more than 15 bits); only the
        /// header differs, by how equal-frequency symbols share out the lengths. Over 200,000 random, text-like and
        /// skewed inputs of 0-1,024 bytes this estimate was at most 4 bytes above zlib's dynamic block (and up to 18
        /// below), so with <see cref="DynamicMarginBytes"/> = 6 skipping zlib's trees never gives up a block zlib would
        /// have chosen. Tests compare every output with the system zlib.
        /// </summary>
        private long EstimateDynamicBits()
        {
            // No data-dependent branches: with a fresh signature in every certificate, which symbols are used and which
            // queue the next Huffman node comes from are unpredictable, and mispredictions were most of this method's
            // time. The JIT does not turn selects inside loops into conditional moves, so they are written as masks.
            var freq = LitFreq;
            int leaves = 0, litMax = 0, maxFreq = 0;
            for (var n = 0; n < LCodes; n++)
            {
                var f = freq[n];
                var used = (f | -f) >>> 31; // 1 when f != 0 (frequencies are never negative)
                leaves += used;
                litMax += (n - litMax) & -used;
                maxFreq += (f - maxFreq) & ((maxFreq - f) >> 31);
            }
            if (leaves < 2) return -1;
            // Counting sort by frequency, then symbol. Unused symbols are counted in, and their keys stored to, slots
            // nothing reads back: a run of them would otherwise wait on one counter's increments.
            var start = _freqStart;
            start.AsSpan(0, maxFreq + 2).Clear();
            for (var n = 0; n <= litMax; n++)
            {
                var f = freq[n];
                var unusedSlot = UnusedSlots + (n & 7);
                start[unusedSlot + ((f + 1 - unusedSlot) & -((f | -f) >>> 31))]++;
            }
            for (var f = 1; f <= maxFreq; f++) start[f + 1] += start[f];
            var keys = _leafKeys;
            for (var n = 0; n <= litMax; n++)
            {
                var f = freq[n];
                var usedMask = -((f | -f) >>> 31);
                var at = leaves + ((start[f] - leaves) & usedMask);
                keys[at] = f << 9 | n;
                start[UnusedSlots + ((f - UnusedSlots) & usedMask)] = at + 1;
            }
            // Two-queue Huffman: leaves in frequency order, internal nodes in creation order (also frequency order).
            // Sentinels past each queue's end stand for "empty"; a tie takes the leaf.
            keys[leaves] = int.MaxValue;
            var weight = _nodeWeight;
            var parent = _parent; // leaves at [0, LCodes), internal nodes at [LCodes, 2 * LCodes)
            int li = 0, ni = 0;
            weight[0] = int.MaxValue;
            for (var nodes = 0; nodes < leaves - 1; nodes++)
            {
                int lw = keys[li] >> 9, nw = weight[ni];
                var node = (nw - lw) >>> 31; // 1 when the node is lighter
                var f = lw + ((nw - lw) & -node);
                parent[li + ((LCodes + ni - li) & -node)] = nodes;
                li += 1 - node;
                ni += node;
                lw = keys[li] >> 9;
                nw = weight[ni];
                node = (nw - lw) >>> 31;
                f += lw + ((nw - lw) & -node);
                parent[li + ((LCodes + ni - li) & -node)] = nodes;
                li += 1 - node;
                ni += node;
                weight[nodes] = f;
                weight[nodes + 1] = int.MaxValue;
            }
            var internalNodes = leaves - 1;
            var depth = _nodeDepth;
            depth[internalNodes - 1] = 0;
            for (var j = internalNodes - 2; j >= 0; j--) depth[j] = depth[parent[LCodes + j]] + 1;
            Array.Clear(_fastLen);
            long data = 0;
            var maxLen = 0;
            for (var i = 0; i < leaves; i++)
            {
                var len = depth[parent[i]] + 1;
                maxLen |= len;
                int sym = keys[i] & 511, f = keys[i] >> 9;
                _fastLen[sym] = (byte)len;
                data += f * (len + LitExtraBits[sym]);
            }
            if (maxLen > MaxBits) return -1; // some length reached 16 or more (an OR of lengths exceeds 15 only then)
            var distMax = BuildTree(DistFreq, DCodes, MaxBits, _distLen); // at most 30 codes: cheap
            for (var n = 0; n <= distMax; n++) data += DistFreq[n] * (_distLen[n] + ExtraDBits[n]);
            return TreeHeaderBits(_fastLen, litMax, distMax, out _, out _) + data;
        }

        private void WriteSymbols(ref BitWriter w, int nsym, ushort[] litCode, byte[] litLen, ushort[] distCode, byte[] distLen)
        {
            for (var i = 0; i < nsym; i++)
            {
                int distance = SymDistance[i], lit = SymLength[i];
                if (distance == 0)
                {
                    w.Write(litCode[lit], litLen[lit]);
                    continue;
                }
                int lc = lit - MinMatch, code = LengthCode[lc], sym = code + EndBlock + 1;
                // Code and extra bits in one write (codes without extra bits have a zero offset, written as no bits).
                w.Write(litCode[sym] | (lc - BaseLength[code]) << litLen[sym], litLen[sym] + ExtraLBits[code]);
                var dm1 = distance - 1;
                var dcode = DCode(dm1);
                w.Write(distCode[dcode] | (dm1 - BaseDist[dcode]) << distLen[dcode], distLen[dcode] + ExtraDBits[dcode]);
            }
            w.Write(litCode[EndBlock], litLen[EndBlock]);
        }

        /// <summary>
        /// zlib's build_tree + gen_bitlen: Huffman code lengths limited to <paramref name="maxLength"/>, built with the
        /// same heap, tie-breaks (frequency, then depth) and overflow repair, so the lengths equal zlib's. Returns
        /// max_code; like zlib, a tree with fewer than two used codes gets dummy codes so that it is complete.
        /// <para>
        /// Heap entries pack frequency, depth and node as freq &lt;&lt; 18 | depth &lt;&lt; 10 | node, so zlib's
        /// "smaller" (lower frequency, or equal frequency and depth not greater) is one integer comparison of entry
        /// &gt;&gt; 10 and the heap needs no lookups: tree building was most of the encoder's time. Frequencies are at
        /// most 1,025 (the input plus end-of-block) and nodes below 1,024, so the packing fits an int.
        /// </para>
        /// </summary>
        private int BuildTree(int[] freq, int elems, int maxLength, byte[] lengths)
        {
            var pq = _pq;
            var heapLen = 0;
            _heapMax = HeapSize;
            var maxCode = -1;
            for (var n = 0; n < elems; n++)
            {
                lengths[n] = 0;
                if (freq[n] != 0) pq[++heapLen] = freq[n] << 18 | (maxCode = n);
            }
            while (heapLen < 2) pq[++heapLen] = 1 << 18 | (maxCode < 2 ? ++maxCode : 0);
            for (var k = heapLen / 2; k >= 1; k--) DownHeap(pq, k, heapLen);
            var next = elems;
            do
            {
                var n = pq[1];
                pq[1] = pq[heapLen--];
                DownHeap(pq, 1, heapLen);
                var m = pq[1];
                _order[--_heapMax] = n & NodeMask;
                _order[--_heapMax] = m & NodeMask;
                var depth = Math.Max(n >> 10 & 0xFF, m >> 10 & 0xFF) + 1;
                _dad[n & NodeMask] = _dad[m & NodeMask] = next;
                pq[1] = ((n >> 18) + (m >> 18)) << 18 | depth << 10 | next++;
                DownHeap(pq, 1, heapLen);
            } while (heapLen >= 2);
            _order[--_heapMax] = pq[1] & NodeMask;
            GenBitLengths(maxCode, maxLength, lengths);
            return maxCode;
        }

        private static void DownHeap(int[] pq, int k, int heapLen)
        {
            // A sentinel past the end lets the child choice skip the bounds test, so it compiles to a conditional move:
            // heap order is data-dependent and the branch mispredicts about half the time.
            pq[heapLen + 1] = int.MaxValue;
            var v = pq[k] >> 10;
            var entry = pq[k];
            var j = k << 1;
            while (j <= heapLen)
            {
                j += pq[j + 1] >> 10 <= pq[j] >> 10 ? 1 : 0;
                var child = pq[j];
                if (v <= child >> 10) break;
                pq[k] = child;
                k = j;
                j <<= 1;
            }
            pq[k] = entry;
        }

        private void GenBitLengths(int maxCode, int maxLength, byte[] lengths)
        {
            var heap = _order;
            var blCount = _blCount;
            Array.Clear(blCount);
            var overflow = 0;
            _nodeLen[heap[_heapMax]] = 0; // the root
            int h;
            for (h = _heapMax + 1; h < HeapSize; h++)
            {
                var n = heap[h];
                var bits = _nodeLen[_dad[n]] + 1;
                if (bits > maxLength) { bits = maxLength; overflow++; }
                _nodeLen[n] = bits;
                if (n > maxCode) continue; // internal node
                lengths[n] = (byte)bits;
                blCount[bits]++;
            }
            if (overflow > 0)
            {
                // Move leaves down from the deepest level until the lengths form a complete code again, then hand the
                // lengths back out in heap order (longest for the least frequent), as zlib does.
                do
                {
                    var bits = maxLength - 1;
                    while (blCount[bits] == 0) bits--;
                    blCount[bits]--;
                    blCount[bits + 1] += 2;
                    blCount[maxLength]--;
                    overflow -= 2;
                } while (overflow > 0);
                for (var bits = maxLength; bits != 0; bits--)
                {
                    var n = blCount[bits];
                    while (n != 0)
                    {
                        var m = heap[--h];
                        if (m > maxCode) continue;
                        lengths[m] = (byte)bits;
                        n--;
                    }
                }
            }
        }

        /// <summary>
        /// zlib's scan_tree/send_tree run-length encoding of code lengths 0..maxCode (16: repeat previous 3-6 times,
        /// 17: 3-10 zeros, 18: 11-138 zeros), written as operations for counting and then sending.
        /// </summary>
        private static int RunLengths(byte[] lengths, int maxCode, Span<ushort> ops)
        {
            // Run by run rather than length by length (as zlib's loop goes): the same operations, with one hard-to-predict
            // branch per run instead of several per length.
            var o = 0;
            var prevLen = -1;
            int maxCount = 7, minCount = 4;
            if (lengths[0] == 0) { maxCount = 138; minCount = 3; }
            var n = 0;
            while (n <= maxCode)
            {
                int curLen = lengths[n];
                var runEnd = n + 1;
                while (runEnd <= maxCode && lengths[runEnd] == curLen) runEnd++;
                var remaining = runEnd - n;
                while (true)
                {
                    // zlib sends a count when it reaches maxCount or when the next length differs.
                    var count = Math.Min(remaining, maxCount);
                    remaining -= count;
                    if (count < minCount)
                    {
                        for (; count > 0; count--) ops[o++] = (ushort)curLen;
                    }
                    else if (curLen != 0)
                    {
                        if (curLen != prevLen) { ops[o++] = (ushort)curLen; count--; }
                        ops[o++] = (ushort)(Rep3To6 | ((count - 3) << 5));
                    }
                    else if (count <= 10) ops[o++] = (ushort)(RepZ3To10 | ((count - 3) << 5));
                    else ops[o++] = (ushort)(RepZ11To138 | ((count - 11) << 5));
                    prevLen = curLen;
                    if (remaining == 0) break;
                    // The run goes on: the next length equals this one.
                    if (curLen == 0) { maxCount = 138; minCount = 3; }
                    else { maxCount = 6; minCount = 3; }
                }
                n = runEnd;
                // The next length differs from this run's (or there is none: zlib's guard past max_code).
                if (n <= maxCode && lengths[n] == 0) { maxCount = 138; minCount = 3; }
                else { maxCount = 7; minCount = 4; }
            }
            return o;
        }
    }

    /// <summary>RFC 1950 Adler-32; without intermediate modulo, safe up to 5,552 bytes (zlib's NMAX).</summary>
    internal static uint Adler32(ReadOnlySpan<byte> data)
    {
        uint a = 1, b = 0;
        foreach (var x in data)
        {
            a += x;
            b += a;
        }
        return (b % 65521 << 16) | (a % 65521);
    }

    /// <summary>LSB-first bit output (RFC 1951 §3.1.1) into a span sized exactly for the block.</summary>
    /// <summary>
    /// LSB-first bit output (RFC 1951 §3.1.1). Every write stores the whole 64-bit buffer and advances by the bytes it
    /// completed, so there is no per-byte loop to mispredict; the target therefore needs 8 bytes of slack past the end.
    /// </summary>
    private ref struct BitWriter(Span<byte> output)
    {
        private readonly Span<byte> _output = output;
        private ulong _buffer;
        private int _bits;
        private int _pos;

        /// <summary>Bytes written, counting a last partly filled byte.</summary>
        public readonly int Length => _pos + (_bits + 7 >> 3);

        public void Write(int value, int count)
        {
            _buffer |= (ulong)(uint)value << _bits;
            _bits += count; // at most 7 pending + 28 new bits (a distance code with its extra bits): fits 64
            BinaryPrimitives.WriteUInt64LittleEndian(_output[_pos..], _buffer);
            _pos += _bits >> 3;
            _buffer >>= _bits & ~7;
            _bits &= 7;
        }
    }
}
