using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Postroom.Mailbox.Metadata;

namespace Postroom.Mailbox.Redis;

/// <summary>
/// The stored form of a mailbox entry's immutable part:
/// <c>&lt;size&gt;\n&lt;blob key&gt;\n&lt;json&gt;</c>. Scripts read only the first two lines (size for
/// usage, blob key for reference counts); the JSON holds blob size, internal date (Unix ms),
/// header prefix (base64) and the <see cref="MessageMetadata"/>. Blob keys have no control
/// characters (<see cref="Storage.BlobKey"/>), so the newline separator is safe.
/// </summary>
internal static class MessageRecord
{
    public static byte[] Encode(string blobKey, long blobSize, DateTimeOffset internalDate, ReadOnlySpan<byte> headerPrefix, byte[] metadataJson)
    {
        var buffer = new ArrayBufferWriter<byte>(metadataJson.Length + headerPrefix.Length * 2 + 128);
        var size = headerPrefix.Length + blobSize;
        buffer.Write(Encoding.UTF8.GetBytes(size.ToString(CultureInfo.InvariantCulture) + "\n" + blobKey + "\n"));
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("s", blobSize);
            json.WriteNumber("d", internalDate.ToUnixTimeMilliseconds());
            json.WriteBase64String("p", headerPrefix);
            json.WritePropertyName("m");
            json.WriteRawValue(metadataJson, skipInputValidation: true);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static MessageDetails Decode(byte[] record)
    {
        var first = Array.IndexOf(record, (byte)'\n');
        var second = Array.IndexOf(record, (byte)'\n', first + 1);
        if (first < 0 || second < 0)
        {
            throw new FormatException("A stored message record is malformed.");
        }

        var size = long.Parse(Encoding.ASCII.GetString(record, 0, first), NumberStyles.None, CultureInfo.InvariantCulture);
        var blobKey = Encoding.UTF8.GetString(record, first + 1, second - first - 1);
        using var doc = JsonDocument.Parse(record.AsMemory(second + 1));
        var root = doc.RootElement;
        var metadata = MessageMetadataParser.Deserialize(Encoding.UTF8.GetBytes(root.GetProperty("m").GetRawText()));
        return new MessageDetails(
            blobKey,
            root.GetProperty("s").GetInt64(),
            size,
            DateTimeOffset.FromUnixTimeMilliseconds(root.GetProperty("d").GetInt64()),
            root.GetProperty("p").GetBytesFromBase64(),
            metadata);
    }
}
