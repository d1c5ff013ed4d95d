using System.Runtime.InteropServices;

namespace VaxCert.Pkcs11.Interop;

/// <summary>
/// A CK_ATTRIBUTE array and the values it points at, in one block of native memory that stays put for the whole call.
/// Used both to send templates and to receive attribute values (two-call pattern).
/// </summary>
internal sealed unsafe class NativeTemplate : IDisposable
{
    private readonly Pkcs11Abi _abi;
    private byte* _block;
    private readonly int _blockSize;

    private NativeTemplate(Pkcs11Abi abi, IReadOnlyList<Cka> types, IReadOnlyList<int> lengths, IReadOnlyList<Pkcs11Attribute>? values)
    {
        _abi = abi;
        Count = types.Count;
        var headerSize = Count * abi.AttributeSize;
        _blockSize = headerSize + lengths.Sum();
        _block = (byte*)NativeMemory.AllocZeroed((nuint)Math.Max(_blockSize, 1));
        var span = new Span<byte>(_block, _blockSize);
        var valueOffset = headerSize;
        for (var i = 0; i < Count; i++)
        {
            var at = i * abi.AttributeSize;
            abi.WriteULong(span, at, (ulong)types[i]);
            Pkcs11Abi.WritePointer(span, at + abi.PairPointerOffset, lengths[i] == 0 ? 0 : (nint)(_block + valueOffset));
            abi.WriteULong(span, at + abi.PairLengthOffset, (ulong)lengths[i]);
            values?[i].WriteValue(abi, span.Slice(valueOffset, lengths[i]));
            valueOffset += lengths[i];
        }
    }

    /// <summary>Number of attributes.</summary>
    public int Count { get; }

    /// <summary>Pointer to the first CK_ATTRIBUTE.</summary>
    public byte* Pointer => _block;

    /// <summary>A template carrying the given values.</summary>
    public static NativeTemplate ForWrite(Pkcs11Abi abi, IReadOnlyList<Pkcs11Attribute> attributes)
        => new(abi, attributes.Select(a => a.Type).ToArray(), attributes.Select(a => a.Length(abi)).ToArray(), attributes);

    /// <summary>A template asking for values of the given sizes (0 = ask for the size only).</summary>
    public static NativeTemplate ForRead(Pkcs11Abi abi, IReadOnlyList<Cka> types, IReadOnlyList<int> lengths)
        => new(abi, types, lengths, null);

    /// <summary>The ulValueLen the module wrote back for attribute <paramref name="index"/>; null when unavailable.</summary>
    public int? LengthAt(int index)
    {
        var len = _abi.ReadULong(new ReadOnlySpan<byte>(_block, _blockSize), index * _abi.AttributeSize + _abi.PairLengthOffset);
        return len == _abi.UnavailableInformation || len > int.MaxValue ? null : (int)len;
    }

    /// <summary>A copy of the value of attribute <paramref name="index"/>, or null when the module marked it unavailable.</summary>
    public byte[]? ValueAt(int index)
    {
        var len = LengthAt(index);
        if (len is null)
            return null;
        var header = new ReadOnlySpan<byte>(_block, _blockSize).Slice(index * _abi.AttributeSize + _abi.PairPointerOffset, 8);
        var pointer = (byte*)System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(header);
        return pointer is null ? [] : new ReadOnlySpan<byte>(pointer, len.Value).ToArray();
    }

    public void Dispose()
    {
        if (_block is null)
            return;
        // Templates may carry a PIN-free but still private value (e.g. a certificate); zero before freeing anyway.
        NativeMemory.Clear(_block, (nuint)_blockSize);
        NativeMemory.Free(_block);
        _block = null;
    }
}
