using System.Buffers;
using System.Text;
using Postroom.Mailbox;
using Postroom.Queue;
using Postroom.Storage;

namespace Postroom.Delivery;

/// <summary>
/// Appends a queued message to a local user's INBOX: the stored body is referenced, not copied, and a
/// per-mailbox header prefix adds <c>Return-Path</c> and <c>Delivered-To</c>.
/// </summary>
public sealed class LocalDelivery(IMailboxStore store, IBlobStore blobs, DeliveryOptions options)
{
    /// <summary>The mailbox local delivery appends to.</summary>
    public const string Inbox = "INBOX";

    private static readonly string[] NoFlags = [];

    /// <summary>
    /// The <c>Delivered-To</c> values of the stored message's header section, read from at most
    /// <see cref="DeliveryOptions.HeaderScanLimit"/> bytes of the body.
    /// </summary>
    /// <exception cref="BlobNotFoundException">The body is gone.</exception>
    public async Task<IReadOnlyList<string>> ReadDeliveredToAsync(string bodyKey, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(options.HeaderScanLimit);
        try
        {
            var stream = await blobs.OpenReadRangeAsync(bodyKey, 0, options.HeaderScanLimit, cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var length = await stream.ReadAtLeastAsync(buffer.AsMemory(0, options.HeaderScanLimit), options.HeaderScanLimit, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                return HeaderScanner.DeliveredTo(buffer.AsSpan(0, length));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Delivers one local target. A target already named in a <c>Delivered-To</c> field of the message
    /// is a mail loop and fails permanently (the qmail and Postfix rule).
    /// </summary>
    public async Task<TargetResult> DeliverAsync(QueueEntry entry, int recipientIndex, TargetPlan target, IReadOnlyList<string> deliveredTo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(deliveredTo);
        if (target.Action != TargetAction.Local)
        {
            throw new ArgumentException("Only local targets are delivered here.", nameof(target));
        }

        if (deliveredTo.Any(d => string.Equals(d, target.Address, StringComparison.OrdinalIgnoreCase)))
        {
            return new TargetResult(target, TargetResultKind.Permanent, DeliveryReplies.Loop(target.Address));
        }

        var envelope = entry.Envelope;
        var request = new AppendRequest(
            target.Address,
            Inbox,
            envelope.BodyKey,
            envelope.BodySize,
            HeaderPrefix(envelope.Sender, target.Address),
            NoFlags,
            envelope.ReceivedAt,
            IdempotencyKey(entry.Id, recipientIndex, target.Address),
            target.QuotaBytes);
        try
        {
            var result = await store.AppendAsync(request, cancellationToken).ConfigureAwait(false);
            return new TargetResult(target, result.Duplicate ? TargetResultKind.Duplicate : TargetResultKind.Delivered, new DeliveryDiagnostic(DeliveryError.None, DeliveryReplies.Delivered));
        }
        catch (MailboxQuotaExceededException)
        {
            // Temporary: the user may make room. Bouncing after a configurable time is issue 5's job;
            // until then the queue lifetime ends the retries.
            return new TargetResult(target, TargetResultKind.Temporary, new DeliveryDiagnostic(DeliveryError.LocalError, DeliveryReplies.MailboxFull));
        }
        catch (BlobNotFoundException)
        {
            return new TargetResult(target, TargetResultKind.Permanent, new DeliveryDiagnostic(DeliveryError.LocalError, DeliveryReplies.BodyMissing));
        }
    }

    /// <summary>
    /// The lines shown above the stored message in this mailbox: <c>Return-Path</c> with the envelope
    /// sender (RFC 5321 section 4.4, <c>&lt;&gt;</c> for the null sender) and <c>Delivered-To</c>.
    /// </summary>
    public static byte[] HeaderPrefix(string sender, string target) =>
        Encoding.UTF8.GetBytes($"Return-Path: <{sender}>\r\nDelivered-To: {target}\r\n");

    /// <summary>
    /// The append's idempotency key: a worker that dies between the append and the queue completion
    /// repeats the append under the same key, and the store answers with the first copy.
    /// </summary>
    public static string IdempotencyKey(QueueId id, int recipientIndex, string target) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{id}/{recipientIndex}/{target.ToLowerInvariant()}");
}
