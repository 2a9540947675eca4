using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using StackExchange.Redis;

namespace Postroom.Queue;

/// <summary>
/// Encodes an entry as the fields of its Redis hash and back. Scalars are plain fields; each
/// recipient (<c>r:&lt;i&gt;</c>, immutable) and each recipient state (<c>s:&lt;i&gt;</c>, rewritten
/// by completion) is a small JSON object, so scripts never parse JSON: they only move fields.
/// Times are Unix milliseconds.
/// </summary>
internal static class EntryCodec
{
    private const string Version = "v";
    private const string Sender = "sender";
    private const string BodyKey = "bodykey";
    private const string BodySize = "bodysize";
    private const string Received = "received";
    private const string Ret = "ret";
    private const string EnvId = "envid";
    private const string Attributes = "attrs";
    private const string Created = "created";
    private const string Expires = "expires";
    private const string Count = "n";

    public static RedisValue[] EncodeNew(QueueId id, DateTimeOffset dueAt, QueueEntry entry)
    {
        var values = new List<RedisValue>(32 + (entry.Recipients.Count * 4))
        {
            id.Value,
            Ms(dueAt),
            Version, "1",
            Sender, entry.Envelope.Sender,
            BodyKey, entry.Envelope.BodyKey,
            BodySize, entry.Envelope.BodySize,
            Received, Ms(entry.Envelope.ReceivedAt),
            Ret, (int)entry.Envelope.Ret,
            Created, Ms(entry.CreatedAt),
            Expires, Ms(entry.ExpiresAt),
            Count, entry.Recipients.Count,
        };

        if (entry.Envelope.EnvId is { } envId)
        {
            values.Add(EnvId);
            values.Add(envId);
        }

        if (entry.Envelope.Attributes.Count > 0)
        {
            values.Add(Attributes);
            values.Add(JsonSerializer.Serialize(new Dictionary<string, string>(entry.Envelope.Attributes, StringComparer.Ordinal), QueueJsonContext.Default.DictionaryStringString));
        }

        foreach (var r in entry.Recipients)
        {
            values.Add(RecipientField(r.Index));
            values.Add(JsonSerializer.Serialize(new RecipientJson(r.Recipient.Address, (int)r.Recipient.Notify, r.Recipient.OriginalRecipient), QueueJsonContext.Default.RecipientJson));
            values.Add(StateField(r.Index));
            values.Add(EncodeState(r.State));
        }

        return [.. values];
    }

    /// <summary>The state fields of every recipient, as field, value pairs.</summary>
    public static IEnumerable<RedisValue> EncodeStates(QueueEntry entry)
    {
        foreach (var r in entry.Recipients)
        {
            yield return StateField(r.Index);
            yield return EncodeState(r.State);
        }
    }

    /// <summary>Decodes the result of read.lua; null when the entry does not exist.</summary>
    public static QueueEntry? Decode(QueueId id, RedisResult result)
    {
        if (result.IsNull || result.Length == 0)
        {
            return null;
        }

        var parts = (RedisResult[])result!;
        var raw = (RedisValue[])parts[0]!;
        var fields = new Dictionary<string, RedisValue>(raw.Length / 2, StringComparer.Ordinal);
        for (var i = 0; i + 1 < raw.Length; i += 2)
        {
            fields[(string)raw[i]!] = raw[i + 1];
        }

        var due = ScoreOrNull(parts[1]);
        var leaseExpiry = ScoreOrNull(parts[2]);
        var leaseCount = parts[3].IsNull ? 0 : (int)(long)parts[3];
        var flushedAt = ScoreOrNull(parts[4]);

        if (!fields.TryGetValue(Version, out var version) || version != "1")
        {
            throw new InvalidDataException($"Queue entry {id} has an unknown format version '{version}'.");
        }

        var attributes = fields.TryGetValue(Attributes, out var attrs)
            ? JsonSerializer.Deserialize((string)attrs!, QueueJsonContext.Default.DictionaryStringString)!
            : Envelope.EmptyAttributes;

        var envelope = new Envelope(
            (string)fields[Sender]!,
            (string)fields[BodyKey]!,
            (long)fields[BodySize],
            FromMs((long)fields[Received]))
        {
            Ret = (DsnReturn)(int)fields[Ret],
            EnvId = fields.TryGetValue(EnvId, out var envId) ? (string?)envId : null,
            Attributes = attributes,
        };

        var count = (int)fields[Count];
        var recipients = new QueueEntryRecipient[count];
        for (var i = 0; i < count; i++)
        {
            var rj = JsonSerializer.Deserialize((string)fields[RecipientField(i)]!, QueueJsonContext.Default.RecipientJson)!;
            var state = DecodeState((string)fields[StateField(i)]!);

            // A flush (see flush.lua) makes every pending recipient due no later than the flush.
            if (flushedAt is { } f && state.IsPending && (state.NextAttemptAt is null || state.NextAttemptAt > f))
            {
                state = state with { NextAttemptAt = f };
            }

            recipients[i] = new QueueEntryRecipient(
                i,
                new QueuedRecipient(rj.A) { Notify = (DsnNotify)rj.N, OriginalRecipient = rj.O },
                state);
        }

        return new QueueEntry
        {
            Id = id,
            Envelope = envelope,
            Recipients = recipients,
            CreatedAt = FromMs((long)fields[Created]),
            ExpiresAt = FromMs((long)fields[Expires]),
            LeaseCount = leaseCount,
            NextAttemptAt = leaseExpiry is null ? due : null,
            LeaseExpiresAt = leaseExpiry,
        };
    }

    public static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static DateTimeOffset? ScoreOrNull(RedisResult r)
    {
        if (r.IsNull)
        {
            return null;
        }

        // Scores come back as strings; Redis may use exponent notation for large integers.
        var text = (string)r!;
        return FromMs((long)double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
    }

    private static string RecipientField(int index) => string.Create(CultureInfo.InvariantCulture, $"r:{index}");

    private static string StateField(int index) => string.Create(CultureInfo.InvariantCulture, $"s:{index}");

    private static string EncodeState(RecipientState state) =>
        JsonSerializer.Serialize(
            new StateJson(
                (int)state.Status,
                state.Attempts,
                state.NextAttemptAt is { } next ? Ms(next) : null,
                state.LastDiagnostic is { } d ? (int)d.Kind : null,
                state.LastDiagnostic?.Text),
            QueueJsonContext.Default.StateJson);

    private static RecipientState DecodeState(string json)
    {
        var s = JsonSerializer.Deserialize(json, QueueJsonContext.Default.StateJson)!;
        return new RecipientState(
            (RecipientStatus)s.S,
            s.A,
            s.T is { } t ? FromMs(t) : null,
            s.K is { } k ? new DeliveryDiagnostic((DeliveryError)k, s.D ?? string.Empty) : null);
    }
}

/// <summary>A recipient as stored: address, NOTIFY flags, ORCPT.</summary>
internal sealed record RecipientJson(string A, int N, string? O);

/// <summary>A recipient state as stored: status, attempts, next attempt (ms), error kind, diagnostic text.</summary>
internal sealed record StateJson(int S, int A, long? T, int? K, string? D);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RecipientJson))]
[JsonSerializable(typeof(StateJson))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class QueueJsonContext : JsonSerializerContext;
