using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Postroom.ProxyProtocol.Tests;

/// <summary>Builders for test inputs: ASCII text, v2 headers, and multi-segment sequences.</summary>
internal static class Bytes
{
    public static readonly byte[] V2Signature = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    public static byte[] Ascii(string text) => Encoding.Latin1.GetBytes(text);

    /// <summary>A v2 header: signature, the two given bytes, the length field (actual body length unless overridden), body.</summary>
    public static byte[] V2(byte versionCommand, byte familyTransport, byte[] body, int? lengthField = null)
    {
        var bytes = new byte[16 + body.Length];
        V2Signature.CopyTo(bytes, 0);
        bytes[12] = versionCommand;
        bytes[13] = familyTransport;
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(14), (ushort)(lengthField ?? body.Length));
        body.CopyTo(bytes, 16);
        return bytes;
    }

    /// <summary>An address block: source address, destination address, source port, destination port.</summary>
    public static byte[] AddressBlock(IPEndPoint source, IPEndPoint destination)
    {
        byte[] src = source.Address.GetAddressBytes();
        byte[] dst = destination.Address.GetAddressBytes();
        var block = new byte[src.Length + dst.Length + 4];
        src.CopyTo(block, 0);
        dst.CopyTo(block, src.Length);
        BinaryPrimitives.WriteUInt16BigEndian(block.AsSpan(src.Length + dst.Length), (ushort)source.Port);
        BinaryPrimitives.WriteUInt16BigEndian(block.AsSpan(src.Length + dst.Length + 2), (ushort)destination.Port);
        return block;
    }

    public static byte[] Tlv(byte type, byte[] value)
    {
        var tlv = new byte[3 + value.Length];
        tlv[0] = type;
        BinaryPrimitives.WriteUInt16BigEndian(tlv.AsSpan(1), (ushort)value.Length);
        value.CopyTo(tlv, 3);
        return tlv;
    }

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    public static byte[] FromHex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    /// <summary>A sequence whose segments are at most <paramref name="chunkSize"/> bytes long.</summary>
    public static ReadOnlySequence<byte> Segmented(byte[] data, int chunkSize)
    {
        var chunks = new List<byte[]>();
        for (int i = 0; i < data.Length; i += chunkSize)
        {
            chunks.Add(data[i..Math.Min(data.Length, i + chunkSize)]);
        }

        return Segmented(chunks);
    }

    /// <summary>A sequence made of exactly the given segments (empty segments included).</summary>
    public static ReadOnlySequence<byte> Segmented(IReadOnlyList<byte[]> chunks)
    {
        if (chunks.Count == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new Segment(chunks[0], 0);
        Segment last = first;
        for (int i = 1; i < chunks.Count; i++)
        {
            last = last.Append(chunks[i]);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
