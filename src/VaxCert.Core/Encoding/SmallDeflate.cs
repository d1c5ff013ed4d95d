using System.Buffers.Binary;

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
/// </summary>
internal static class SmallDeflate
{
    /// <summary>Largest input handled here; see the class remarks for why the limit keeps zlib's decisions.</summary>
    internal const int MaxInputLength = 1024;

    private const int MinMatch = 3, MaxMatch = 258;
    private const int EndBlock = 256, LCodes = 286, DCodes = 30, BlCodes = 19;
    private const int MaxBits = 15, MaxBlBits = 7;
    private const int Rep3To6 = 16, RepZ3To10 = 17, RepZ11To138 = 18;
    private const int HeapSize = 2 * LCodes + 1;
    // zlib level 9 (configuration_table[9]): good_length 32, max_lazy 258, nice_length 258, max_chain 4096.
    private const int GoodMatch = 32, MaxLazy = 258, NiceMatch = 258, MaxChain = 4096;
    private const int HashBits = 10;

    private static readonly byte[] ExtraLBits = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
    private static readonly byte[] ExtraDBits = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
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
            var reversed = 0;
            for (var i = 0; i < len; i++, c >>= 1) reversed = (reversed << 1) | (c & 1);
            codes[n] = (ushort)reversed;
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
        private readonly int[] _heap = new int[HeapSize];
        private readonly int[] _nodeFreq = new int[HeapSize];
        private readonly byte[] _depth = new byte[HeapSize];
        private readonly int[] _dad = new int[HeapSize];
        private readonly int[] _nodeLen = new int[HeapSize];
        private readonly int[] _blCount = new int[MaxBits + 1];
        private int _heapLen, _heapMax;

        public byte[] Encode(ReadOnlySpan<byte> data, int nsym)
        {
            LitFreq[EndBlock] = 1;
            var litMax = BuildTree(LitFreq, LCodes, MaxBits, _litLen);
            var distMax = BuildTree(DistFreq, DCodes, MaxBits, _distLen);
            var litOps = RunLengths(_litLen, litMax, _treeOps);
            var ops = litOps + RunLengths(_distLen, distMax, _treeOps.AsSpan(litOps));
            Array.Clear(_blFreq);
            for (var i = 0; i < ops; i++) _blFreq[_treeOps[i] & 31]++;
            BuildTree(_blFreq, BlCodes, MaxBlBits, _blLen);
            // HCLEN: code-length codes are sent in BlOrder, trailing zero lengths dropped (at least 4 sent).
            var blCodes = BlCodes;
            while (blCodes > 4 && _blLen[BlOrder[blCodes - 1]] == 0) blCodes--;

            // Exact bit costs of the two Huffman encodings (3-bit block header not included).
            long dataFixed = 0, dataDynamic = 0;
            for (var n = 0; n < LCodes; n++)
            {
                var f = LitFreq[n];
                if (f == 0) continue;
                var extra = n > EndBlock ? ExtraLBits[n - EndBlock - 1] : 0;
                dataFixed += (long)f * (FixedLitLen[n] + extra);
                dataDynamic += (long)f * (_litLen[n] + extra);
            }
            for (var n = 0; n < DCodes; n++)
            {
                var f = DistFreq[n];
                if (f == 0) continue;
                dataFixed += (long)f * (5 + ExtraDBits[n]);
                dataDynamic += (long)f * (_distLen[n] + ExtraDBits[n]);
            }
            long treeBits = 5 + 5 + 4 + 3 * blCodes;
            for (var i = 0; i < ops; i++) treeBits += _blLen[_treeOps[i] & 31] + ExtraBlBits[_treeOps[i] & 31];
            var fixedBytes = (int)((3 + dataFixed + 7) >> 3);
            var dynamicBytes = (int)((3 + treeBits + dataDynamic + 7) >> 3);
            var storedBytes = data.Length + 5; // 3 header bits padded to a byte, LEN, NLEN, the data

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
                var w = new BitWriter(output.AsSpan(2, blockBytes));
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
                w.Flush();
            }
            BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(output.Length - 4), Adler32(data));
            return output;
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
                w.Write(litCode[sym], litLen[sym]);
                if (ExtraLBits[code] > 0) w.Write(lc - BaseLength[code], ExtraLBits[code]);
                var dm1 = distance - 1;
                var dcode = DCode(dm1);
                w.Write(distCode[dcode], distLen[dcode]);
                if (ExtraDBits[dcode] > 0) w.Write(dm1 - BaseDist[dcode], ExtraDBits[dcode]);
            }
            w.Write(litCode[EndBlock], litLen[EndBlock]);
        }

        /// <summary>
        /// zlib's build_tree + gen_bitlen: Huffman code lengths limited to <paramref name="maxLength"/>, built with the
        /// same heap, tie-breaks (frequency, then depth) and overflow repair, so the lengths equal zlib's. Returns
        /// max_code; like zlib, a tree with fewer than two used codes gets dummy codes so that it is complete.
        /// </summary>
        private int BuildTree(int[] freq, int elems, int maxLength, byte[] lengths)
        {
            var heap = _heap;
            var depth = _depth;
            var nf = _nodeFreq;
            _heapLen = 0;
            _heapMax = HeapSize;
            var maxCode = -1;
            for (var n = 0; n < elems; n++)
            {
                nf[n] = freq[n];
                lengths[n] = 0;
                if (freq[n] != 0)
                {
                    heap[++_heapLen] = maxCode = n;
                    depth[n] = 0;
                }
            }
            while (_heapLen < 2)
            {
                var node = heap[++_heapLen] = maxCode < 2 ? ++maxCode : 0;
                nf[node] = 1;
                depth[node] = 0;
            }
            for (var k = _heapLen / 2; k >= 1; k--) DownHeap(k);
            var next = elems;
            do
            {
                var n = heap[1];
                heap[1] = heap[_heapLen--];
                DownHeap(1);
                var m = heap[1];
                heap[--_heapMax] = n;
                heap[--_heapMax] = m;
                nf[next] = nf[n] + nf[m];
                depth[next] = (byte)(Math.Max(depth[n], depth[m]) + 1);
                _dad[n] = _dad[m] = next;
                heap[1] = next++;
                DownHeap(1);
            } while (_heapLen >= 2);
            heap[--_heapMax] = heap[1];
            GenBitLengths(maxCode, maxLength, lengths);
            return maxCode;
        }

        private bool Smaller(int n, int m)
            => _nodeFreq[n] < _nodeFreq[m] || (_nodeFreq[n] == _nodeFreq[m] && _depth[n] <= _depth[m]);

        private void DownHeap(int k)
        {
            var heap = _heap;
            var v = heap[k];
            var j = k << 1;
            while (j <= _heapLen)
            {
                if (j < _heapLen && Smaller(heap[j + 1], heap[j])) j++;
                if (Smaller(v, heap[j])) break;
                heap[k] = heap[j];
                k = j;
                j <<= 1;
            }
            heap[k] = v;
        }

        private void GenBitLengths(int maxCode, int maxLength, byte[] lengths)
        {
            var heap = _heap;
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
            var count = 0;
            var o = 0;
            int prevLen = -1, nextLen = lengths[0];
            int maxCount = 7, minCount = 4;
            if (nextLen == 0) { maxCount = 138; minCount = 3; }
            for (var n = 0; n <= maxCode; n++)
            {
                var curLen = nextLen;
                nextLen = n + 1 <= maxCode ? lengths[n + 1] : -1; // zlib's guard past max_code
                if (++count < maxCount && curLen == nextLen) continue;
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
                count = 0;
                prevLen = curLen;
                if (nextLen == 0) { maxCount = 138; minCount = 3; }
                else if (curLen == nextLen) { maxCount = 6; minCount = 3; }
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
    private ref struct BitWriter(Span<byte> output)
    {
        private readonly Span<byte> _output = output;
        private ulong _buffer;
        private int _bits;
        private int _pos;

        public void Write(int value, int count)
        {
            _buffer |= (ulong)(uint)value << _bits;
            _bits += count;
            while (_bits >= 8)
            {
                _output[_pos++] = (byte)_buffer;
                _buffer >>= 8;
                _bits -= 8;
            }
        }

        public void Flush()
        {
            if (_bits > 0) _output[_pos++] = (byte)_buffer;
            _buffer = 0;
            _bits = 0;
        }
    }
}
