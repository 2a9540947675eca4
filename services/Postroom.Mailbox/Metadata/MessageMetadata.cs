using System.Text.Json.Serialization;

namespace Postroom.Mailbox.Metadata;

/// <summary>
/// What IMAP FETCH needs to know about a stored message without reading it again: the ENVELOPE and
/// the BODYSTRUCTURE tree with byte offsets of every part. Computed once at append by
/// <see cref="MessageMetadataParser"/> and stored with the mailbox entry.
/// </summary>
/// <remarks>
/// Offsets are relative to the stored blob. A mailbox entry may show a header prefix before the
/// blob (Return-Path, Delivered-To); the IMAP layer adds its length to every offset and to the root
/// part's header length, nothing else changes (the prefix is header lines only).
/// </remarks>
public sealed record MessageMetadata
{
    /// <summary>The top-level message's envelope (RFC 3501 section 7.4.2, ENVELOPE).</summary>
    [JsonPropertyName("e")]
    public required MessageEnvelope Envelope { get; init; }

    /// <summary>The root body part; its header range is the message's header section.</summary>
    [JsonPropertyName("b")]
    public required BodyPart Body { get; init; }

    /// <summary>Octets of the header section including the blank line that ends it (without a header prefix).</summary>
    [JsonIgnore]
    public long HeaderLength => Body.BodyOffset - Body.HeaderOffset;

    /// <summary>Octets of the message body (RFC 3501 BODY[TEXT]).</summary>
    [JsonIgnore]
    public long BodyLength => Body.EndOffset - Body.BodyOffset;
}

/// <summary>
/// ENVELOPE fields. String fields are the header values as they appear in the message, unfolded
/// and trimmed (RFC 2047 encoded-words are kept, as IMAP returns them); null when the header is
/// absent. Address lists are null when the header is absent.
/// </summary>
/// <remarks>
/// RFC 3501 says Sender and Reply-To default to From when absent; that defaulting is left to the
/// IMAP layer so that this record says exactly what the message has.
/// </remarks>
public sealed record MessageEnvelope
{
    [JsonPropertyName("d")]
    public string? Date { get; init; }

    [JsonPropertyName("s")]
    public string? Subject { get; init; }

    [JsonPropertyName("f")]
    public IReadOnlyList<EnvelopeAddress>? From { get; init; }

    [JsonPropertyName("se")]
    public IReadOnlyList<EnvelopeAddress>? Sender { get; init; }

    [JsonPropertyName("r")]
    public IReadOnlyList<EnvelopeAddress>? ReplyTo { get; init; }

    [JsonPropertyName("t")]
    public IReadOnlyList<EnvelopeAddress>? To { get; init; }

    [JsonPropertyName("c")]
    public IReadOnlyList<EnvelopeAddress>? Cc { get; init; }

    [JsonPropertyName("bc")]
    public IReadOnlyList<EnvelopeAddress>? Bcc { get; init; }

    [JsonPropertyName("ir")]
    public string? InReplyTo { get; init; }

    [JsonPropertyName("id")]
    public string? MessageId { get; init; }
}

/// <summary>
/// One IMAP envelope address (RFC 3501 "address": name, adl, mailbox, host). <see cref="Name"/> is
/// decoded Unicode text (the IMAP layer encodes it with RFC 2047 when it is not ASCII). Groups use
/// the RFC 3501 convention: a start marker with a null host and the group name as mailbox, the
/// members, then an end marker with mailbox and host null.
/// </summary>
public sealed record EnvelopeAddress(
    [property: JsonPropertyName("n")] string? Name,
    [property: JsonPropertyName("a")] string? Route,
    [property: JsonPropertyName("m")] string? Mailbox,
    [property: JsonPropertyName("h")] string? Host);

/// <summary>A parameter of a Content-Type or Content-Disposition header (value decoded, RFC 2231).</summary>
public sealed record BodyParameter(
    [property: JsonPropertyName("n")] string Name,
    [property: JsonPropertyName("v")] string Value);

/// <summary>A Content-Disposition: its type and parameters.</summary>
public sealed record BodyDisposition(
    [property: JsonPropertyName("t")] string Type,
    [property: JsonPropertyName("p")] IReadOnlyList<BodyParameter> Parameters);

/// <summary>
/// One MIME part (a node of BODYSTRUCTURE). The part's header is the blob's bytes
/// [<see cref="HeaderOffset"/>, <see cref="BodyOffset"/>) including the blank line; its body is
/// [<see cref="BodyOffset"/>, <see cref="EndOffset"/>), excluding the CRLF that belongs to a
/// following multipart boundary (RFC 2046 section 5.1.1), which is what IMAP's body size counts.
/// </summary>
public sealed record BodyPart
{
    /// <summary>Media type, e.g. "text", as written in the message (the default is "text").</summary>
    [JsonPropertyName("t")]
    public required string Type { get; init; }

    /// <summary>Media subtype, e.g. "plain".</summary>
    [JsonPropertyName("st")]
    public required string Subtype { get; init; }

    [JsonPropertyName("p")]
    public IReadOnlyList<BodyParameter> Parameters { get; init; } = [];

    /// <summary>Content-ID, or null.</summary>
    [JsonPropertyName("id")]
    public string? ContentId { get; init; }

    /// <summary>Content-Description, or null.</summary>
    [JsonPropertyName("ds")]
    public string? Description { get; init; }

    /// <summary>Content-Transfer-Encoding as written, or null when absent (IMAP then says "7BIT").</summary>
    [JsonPropertyName("en")]
    public string? Encoding { get; init; }

    /// <summary>Content-MD5, or null (RFC 3501 body-fld-md5).</summary>
    [JsonPropertyName("md5")]
    public string? Md5 { get; init; }

    [JsonPropertyName("di")]
    public BodyDisposition? Disposition { get; init; }

    [JsonPropertyName("la")]
    public IReadOnlyList<string>? Language { get; init; }

    [JsonPropertyName("lo")]
    public string? Location { get; init; }

    [JsonPropertyName("ho")]
    public long HeaderOffset { get; init; }

    [JsonPropertyName("bo")]
    public long BodyOffset { get; init; }

    [JsonPropertyName("eo")]
    public long EndOffset { get; init; }

    /// <summary>Lines of the body in its transfer encoding (text/* and message/rfc822 parts; 0 for others).</summary>
    [JsonPropertyName("l")]
    public long Lines { get; init; }

    /// <summary>The sub-parts of a multipart, in order; null for other parts.</summary>
    [JsonPropertyName("c")]
    public IReadOnlyList<BodyPart>? Parts { get; init; }

    /// <summary>The envelope of an encapsulated message (message/rfc822 and message/global).</summary>
    [JsonPropertyName("me")]
    public MessageEnvelope? MessageEnvelope { get; init; }

    /// <summary>The root part of an encapsulated message; its header range is that message's header.</summary>
    [JsonPropertyName("mb")]
    public BodyPart? MessageBody { get; init; }

    /// <summary>Octets of the body (RFC 3501 body-fld-octets).</summary>
    [JsonIgnore]
    public long Size => EndOffset - BodyOffset;

    /// <summary>Octets of the header including the blank line.</summary>
    [JsonIgnore]
    public long HeaderLength => BodyOffset - HeaderOffset;

    [JsonIgnore]
    public bool IsMultipart => Parts is not null;
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(MessageMetadata))]
internal sealed partial class MetadataJsonContext : JsonSerializerContext;
