using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Postroom.Mailbox.Metadata;
using Postroom.Storage;
using StackExchange.Redis;

namespace Postroom.Mailbox.Redis;

/// <summary>Messages: append, list, flags, expunge, copy and move.</summary>
public sealed partial class RedisMailboxStore
{
    /// <inheritdoc />
    public async Task<AppendResult> AppendAsync(AppendRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = (await AppendBatchAsync([request], cancellationToken).ConfigureAwait(false))[0];
        return result.Status == AppendStatus.QuotaExceeded
            ? throw new MailboxQuotaExceededException($"The quota of {request.User} would be exceeded.")
            : result;
    }

    /// <summary>
    /// Appends many messages to one mailbox of one user (every request must name the same user and
    /// mailbox): bodies are parsed once per distinct blob key, reference counts are raised once per
    /// key, and the entries are written <see cref="RedisMailboxStoreOptions.AppendBatchSize"/> per
    /// script. Over-quota messages get <see cref="AppendStatus.QuotaExceeded"/> instead of throwing.
    /// </summary>
    public async Task<IReadOnlyList<AppendResult>> AppendBatchAsync(IReadOnlyList<AppendRequest> requests, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        if (requests.Count == 0)
        {
            return [];
        }

        var user = requests[0].User;
        var k = UserKeysOf(user);
        var name = MailboxNames.Normalize(requests[0].Mailbox);
        var flags = new string[requests.Count][];
        for (var i = 0; i < requests.Count; i++)
        {
            var r = requests[i] ?? throw new ArgumentException("A request is null.", nameof(requests));
            if (r.User != user || MailboxNames.Normalize(r.Mailbox) != name)
            {
                throw new ArgumentException("Every request of a batch must name the same user and mailbox.", nameof(requests));
            }

            BlobKey.Validate(r.BlobKey, nameof(requests));
            ArgumentOutOfRangeException.ThrowIfNegative(r.BlobSize, nameof(requests));
            flags[i] = MessageFlags.Normalize(r.Flags);
        }

        cancellationToken.ThrowIfCancellationRequested();
        await RegisterDomainUserAsync(user).ConfigureAwait(false);

        // 1. Reference the bodies before any entry exists (see the class remarks).
        var perBlob = requests.GroupBy(r => r.BlobKey, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var referenced = new Dictionary<string, int>(StringComparer.Ordinal);
        byte[][] records;
        try
        {
            foreach (var (blobKey, count) in perBlob)
            {
                if ((long)await _db.ScriptEvaluateAsync(MailboxScripts.Reference, [_keys.Reference(blobKey)], ["add", count]).ConfigureAwait(false) < 0)
                {
                    throw new BlobNotFoundException(blobKey);
                }

                referenced[blobKey] = count;
            }

            // 2. Parse each body once, while our reference keeps it from being deleted.
            var metadata = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var blobKey in perBlob.Keys)
            {
                var stream = await _blobs.OpenReadAsync(blobKey, cancellationToken).ConfigureAwait(false);
                await using (stream.ConfigureAwait(false))
                {
                    metadata[blobKey] = MessageMetadataParser.Serialize(await MessageMetadataParser.ParseAsync(stream, cancellationToken).ConfigureAwait(false));
                }
            }

            records = [.. requests.Select(r => MessageRecord.Encode(r.BlobKey, r.BlobSize, r.InternalDate, r.HeaderPrefix.Span, metadata[r.BlobKey]))];
        }
        catch
        {
            // Nothing was written to the mailbox: give the references back, keep the bodies.
            await UndoReferencesAsync(referenced).ConfigureAwait(false);
            throw;
        }

        // 3. Write the entries. From here on a failure leaks references (bodies kept), never loses one.
        var results = new AppendResult[requests.Count];
        var appendedUids = new List<uint>();
        ulong modseq = 0;
        string? mailboxId = null;
        for (var start = 0; start < requests.Count; start += _options.AppendBatchSize)
        {
            var end = Math.Min(requests.Count, start + _options.AppendBatchSize);
            var (id, raw) = await RunAsync(user, k, name, id =>
            {
                var box = k.Box(id);
                var keys = new List<RedisKey> { k.User, k.Boxes, box.State, box.Uids, box.Flags, box.Records, box.Deleted };
                var args = new List<RedisValue>
                {
                    name,
                    id,
                    requests[start].QuotaBytes ?? -1,
                    (long)_options.IdempotencyTtl.TotalSeconds,
                    end - start,
                };
                for (var i = start; i < end; i++)
                {
                    var idem = requests[i].IdempotencyKey;
                    keys.Add(k.Idempotency(idem ?? ""));
                    args.AddRange([requests[i].HeaderPrefix.Length + requests[i].BlobSize, records[i], string.Join(' ', flags[i]), string.IsNullOrEmpty(idem) ? "0" : "1"]);
                }

                return _db.ScriptEvaluateAsync(MailboxScripts.Append, [.. keys], [.. args]);
            }).ConfigureAwait(false);
            mailboxId = id;
            var v = Ints(raw);
            modseq = Math.Max(modseq, (ulong)v[1]);
            for (var i = start; i < end; i++)
            {
                var at = 2 + ((i - start) * 3);
                var status = (AppendStatus)v[at];
                results[i] = new AppendResult(status, (uint)v[at + 1], (uint)v[at + 2], status == AppendStatus.Appended ? (ulong)v[1] : 0);
                if (status == AppendStatus.Appended)
                {
                    appendedUids.Add((uint)v[at + 2]);
                }
            }
        }

        // 4. Duplicates and refused messages hold no entry: give their references back.
        var unused = requests.Where((r, i) => results[i].Status != AppendStatus.Appended)
            .GroupBy(r => r.BlobKey, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        await UndoReferencesAsync(unused).ConfigureAwait(false);

        if (appendedUids.Count > 0 && mailboxId is not null)
        {
            await PublishAsync(k, new MailboxChange(mailboxId, MailboxChangeKind.Exists, modseq, appendedUids)).ConfigureAwait(false);
        }

        return results;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<MailboxMessage> ListMessagesAsync(string user, string mailbox, UidSet uids, bool includeDetails, [EnumeratorCancellation] CancellationToken cancellationToken, int pageSize = 500)
    {
        ArgumentNullException.ThrowIfNull(uids);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        var k = UserKeysOf(user);
        var name = MailboxNames.Normalize(mailbox);
        string? id = null;
        foreach (var (first, last) in uids.Ranges)
        {
            var min = (long)first;
            while (min <= last)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var page = await ReadPageAsync(user, k, name, id, min, last, pageSize, includeDetails).ConfigureAwait(false);
                id = page.Id;
                foreach (var message in page.Messages)
                {
                    yield return message;
                }

                if (page.Messages.Count < pageSize)
                {
                    break;
                }

                min = (long)page.Messages[^1].Uid + 1;
            }
        }
    }

    /// <inheritdoc />
    public async Task<StoreFlagsResult> StoreFlagsAsync(string user, string mailbox, UidSet uids, FlagOperation operation, IReadOnlyCollection<string> flags, ulong? unchangedSince, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uids);
        var k = UserKeysOf(user);
        var name = MailboxNames.Normalize(mailbox);
        var normalized = MessageFlags.Normalize(flags);
        var op = operation switch
        {
            FlagOperation.Add => "add",
            FlagOperation.Remove => "remove",
            FlagOperation.Replace => "replace",
            _ => throw new ArgumentOutOfRangeException(nameof(operation)),
        };
        cancellationToken.ThrowIfCancellationRequested();

        var updated = new List<FlagUpdate>();
        var modified = new List<uint>();
        var changed = new List<uint>();
        ulong highest = 0;
        string? id = null;
        long after = 0;
        while (true)
        {
            Func<string, Task<RedisResult>> script = boxId =>
            {
                var box = k.Box(boxId);
                var args = new List<RedisValue> { name, boxId, op, (long)(unchangedSince ?? 0), after, _options.BatchSize, uids.Ranges.Count };
                foreach (var (first, last) in uids.Ranges)
                {
                    args.Add(first);
                    args.Add(last);
                }

                args.AddRange(normalized.Select(f => (RedisValue)f));
                return _db.ScriptEvaluateAsync(MailboxScripts.Store, [k.Boxes, box.State, box.Uids, box.Flags, box.Deleted], [.. args]);
            };
            var raw = await RunOnAsync(user, k, name, id, script).ConfigureAwait(false);
            id = raw.Id;
            var v = (RedisResult[])raw.Result!;
            var cursor = (long)v[1];
            var batchModSeq = (ulong)(long)v[2];
            highest = batchModSeq;
            var n = (int)(long)v[3];
            for (var i = 0; i < n; i++)
            {
                var at = 4 + (i * 3);
                var uid = (uint)(long)v[at];
                var modseq = (ulong)(long)v[at + 1];
                var text = (string?)v[at + 2] ?? "";
                updated.Add(new FlagUpdate(uid, modseq, text.Length == 0 ? [] : text.Split(' ')));
                if (modseq == batchModSeq)
                {
                    changed.Add(uid);
                }
            }

            for (var at = 4 + (n * 3); at < v.Length; at++)
            {
                modified.Add((uint)(long)v[at]);
            }

            if (changed.Count > 0)
            {
                await PublishAsync(k, new MailboxChange(id, MailboxChangeKind.Flags, batchModSeq, [.. changed])).ConfigureAwait(false);
                changed.Clear();
            }

            if (cursor == 0)
            {
                break;
            }

            after = cursor;
        }

        return new StoreFlagsResult(updated, modified, highest);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<uint>> ExpungeAsync(string user, string mailbox, UidSet? uids, CancellationToken cancellationToken)
    {
        var k = UserKeysOf(user);
        var name = MailboxNames.Normalize(mailbox);
        cancellationToken.ThrowIfCancellationRequested();
        var expunged = new List<uint>();
        string? id = null;
        while (true)
        {
            Func<string, Task<RedisResult>> script = boxId =>
            {
                var box = k.Box(boxId);
                var args = new List<RedisValue> { name, boxId, _options.BatchSize, uids?.Ranges.Count ?? 0 };
                foreach (var (first, last) in uids?.Ranges ?? [])
                {
                    args.Add(first);
                    args.Add(last);
                }

                return _db.ScriptEvaluateAsync(MailboxScripts.Expunge, [k.User, k.Boxes, box.State, box.Uids, box.Flags, box.Records, box.Deleted], [.. args]);
            };
            var raw = await RunOnAsync(user, k, name, id, script).ConfigureAwait(false);
            id = raw.Id;
            var v = (RedisResult[])raw.Result!;
            var modseq = (ulong)(long)v[1];
            var n = (int)(long)v[2];
            var batch = new List<uint>(n);
            var blobs = new List<string>(n);
            for (var i = 0; i < n; i++)
            {
                batch.Add((uint)(long)v[3 + (i * 2)]);
                blobs.Add((string)v[4 + (i * 2)]!);
            }

            if (n > 0)
            {
                expunged.AddRange(batch);
                await PublishAsync(k, new MailboxChange(id, MailboxChangeKind.Expunge, modseq, batch)).ConfigureAwait(false);

                // After the entries are gone: release their bodies.
                await ReleaseReferencesAsync(blobs).ConfigureAwait(false);
            }

            if (n < _options.BatchSize)
            {
                break;
            }
        }

        expunged.Sort();
        return expunged;
    }

    /// <inheritdoc />
    public Task<CopyResult> CopyMessagesAsync(string user, string mailbox, UidSet uids, string destination, long? quotaBytes, CancellationToken cancellationToken) =>
        CopyOrMoveAsync(user, mailbox, uids, destination, move: false, quotaBytes, cancellationToken);

    /// <inheritdoc />
    public Task<CopyResult> MoveMessagesAsync(string user, string mailbox, UidSet uids, string destination, CancellationToken cancellationToken) =>
        CopyOrMoveAsync(user, mailbox, uids, destination, move: true, null, cancellationToken);

    private async Task<CopyResult> CopyOrMoveAsync(string user, string from, UidSet uids, string to, bool move, long? quotaBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uids);
        var k = UserKeysOf(user);
        var source = MailboxNames.Normalize(from);
        var target = MailboxNames.Normalize(to);
        cancellationToken.ThrowIfCancellationRequested();

        var sourceUids = new List<uint>();
        var targetUids = new List<uint>();
        uint validity = 0;
        string? sourceId = null;
        var pages = ListRecordHeadsAsync(user, k, source, uids, cancellationToken);
        await foreach (var page in pages.ConfigureAwait(false))
        {
            sourceId = page.Id;

            // A copy adds entries: reference their bodies first. A move keeps the count (one entry
            // leaves, one arrives, in the same script).
            var references = move
                ? []
                : page.Messages.GroupBy(m => m.BlobKey, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            foreach (var (blobKey, count) in references)
            {
                await _db.ScriptEvaluateAsync(MailboxScripts.Reference, [_keys.Reference(blobKey)], ["add", count]).ConfigureAwait(false);
            }

            RedisResult[] v;
            try
            {
                v = await CopyPageAsync(user, k, source, sourceId, target, page.Messages.Select(m => m.Uid), move, quotaBytes).ConfigureAwait(false);
            }
            catch (Exception e) when (e is MailboxException)
            {
                // The script refused before writing anything.
                await UndoReferencesAsync(references).ConfigureAwait(false);
                throw;
            }

            validity = (uint)(long)v[1];
            var n = (int)(long)v[4];
            var copied = new HashSet<uint>();
            var pageTargets = new List<uint>(n);
            for (var i = 0; i < n; i++)
            {
                var s = (uint)(long)v[5 + (i * 2)];
                var t = (uint)(long)v[6 + (i * 2)];
                sourceUids.Add(s);
                targetUids.Add(t);
                pageTargets.Add(t);
                copied.Add(s);
            }

            if (!move)
            {
                // Expunged meanwhile: those bodies got no new entry.
                var missing = page.Messages.Where(m => !copied.Contains(m.Uid))
                    .GroupBy(m => m.BlobKey, StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
                await UndoReferencesAsync(missing).ConfigureAwait(false);
            }

            if (n > 0)
            {
                var targetId = await LookupAsync(k, target).ConfigureAwait(false);
                if (targetId is not null)
                {
                    await PublishAsync(k, new MailboxChange(targetId, MailboxChangeKind.Exists, (ulong)(long)v[3], pageTargets)).ConfigureAwait(false);
                }

                if (move)
                {
                    await PublishAsync(k, new MailboxChange(sourceId, MailboxChangeKind.Expunge, (ulong)(long)v[2], [.. copied.Order()])).ConfigureAwait(false);
                }
            }
        }

        if (validity == 0)
        {
            // Nothing matched: still check both mailboxes exist and report the target's UIDVALIDITY.
            await GetMailboxStatusAsync(user, source, cancellationToken).ConfigureAwait(false);
            validity = (await GetMailboxStatusAsync(user, target, cancellationToken).ConfigureAwait(false)).UidValidity;
        }

        return new CopyResult(validity, sourceUids, targetUids);
    }

    private async Task<RedisResult[]> CopyPageAsync(string user, UserKeys k, string source, string sourceId, string target, IEnumerable<uint> uids, bool move, long? quotaBytes)
    {
        var uidArgs = uids.Select(u => (RedisValue)u).ToArray();
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var targetId = await ResolveAsync(user, k, target).ConfigureAwait(false);
            var s = k.Box(sourceId);
            var t = k.Box(targetId);
            var result = (RedisResult[])(await _db.ScriptEvaluateAsync(
                MailboxScripts.Copy,
                [k.User, k.Boxes, s.State, s.Uids, s.Flags, s.Records, s.Deleted, t.State, t.Uids, t.Flags, t.Records, t.Deleted],
                [source, sourceId, target, targetId, move ? "1" : "0", quotaBytes ?? -1, .. uidArgs]).ConfigureAwait(false))!;
            switch ((long)result[0])
            {
                case 1:
                    return result;
                case -1:
                    throw NotFound(source);
                case 3:
                    throw new MailboxQuotaExceededException($"The quota of {user} would be exceeded.");
                default:
                    continue; // -2: the target changed; look it up again.
            }
        }

        throw Contended(target);
    }

    /// <summary>Pages of (uid, blob key) of a UID set, reading only the first lines of each record.</summary>
    private async IAsyncEnumerable<(string Id, IReadOnlyList<(uint Uid, string BlobKey)> Messages)> ListRecordHeadsAsync(string user, UserKeys k, string name, UidSet uids, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? id = null;
        foreach (var (first, last) in uids.Ranges)
        {
            var min = (long)first;
            while (min <= last)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var result = await RunOnAsync(user, k, name, id, boxId =>
                {
                    var box = k.Box(boxId);
                    return _db.ScriptEvaluateAsync(MailboxScripts.Page, [k.Boxes, box.Uids, box.Flags, box.Records], [name, boxId, min, (long)last, _options.BatchSize, "1"]);
                }).ConfigureAwait(false);
                id = result.Id;
                var v = (RedisResult[])result.Result!;
                var messages = new List<(uint, string)>();
                for (var at = 1; at + 2 < v.Length; at += 3)
                {
                    var record = (byte[])v[at + 2]!;
                    var firstLine = Array.IndexOf(record, (byte)'\n');
                    var secondLine = Array.IndexOf(record, (byte)'\n', firstLine + 1);
                    messages.Add(((uint)(long)v[at], Encoding.UTF8.GetString(record, firstLine + 1, secondLine - firstLine - 1)));
                }

                if (messages.Count > 0)
                {
                    yield return (id, messages);
                }

                if (messages.Count < _options.BatchSize)
                {
                    break;
                }

                min = (long)messages[^1].Item1 + 1;
            }
        }
    }

    private async Task<(string Id, List<MailboxMessage> Messages)> ReadPageAsync(string user, UserKeys k, string name, string? id, long min, long max, int limit, bool includeDetails)
    {
        var result = await RunOnAsync(user, k, name, id, boxId =>
        {
            var box = k.Box(boxId);
            return _db.ScriptEvaluateAsync(MailboxScripts.Page, [k.Boxes, box.Uids, box.Flags, box.Records], [name, boxId, min, max, limit, includeDetails ? "1" : "0"]);
        }).ConfigureAwait(false);
        var v = (RedisResult[])result.Result!;
        var messages = new List<MailboxMessage>((v.Length - 1) / 3);
        for (var at = 1; at + 2 < v.Length; at += 3)
        {
            var flagsValue = (string?)v[at + 1] ?? "0";
            var parts = flagsValue.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var details = includeDetails && !v[at + 2].IsNull && v[at + 2].Resp2Type == ResultType.BulkString ? MessageRecord.Decode((byte[])v[at + 2]!) : null;
            messages.Add(new MailboxMessage(
                (uint)(long)v[at],
                ulong.Parse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture),
                parts[1..],
                details));
        }

        return (result.Id, messages);
    }

    /// <summary>
    /// Runs a script on a mailbox: the first call of an operation looks the name up (see
    /// <see cref="RunAsync"/>); later calls stay on the same mailbox id and fail if it went away.
    /// </summary>
    private async Task<(string Id, RedisResult Result)> RunOnAsync(string user, UserKeys k, string name, string? id, Func<string, Task<RedisResult>> script)
    {
        if (id is null)
        {
            return await RunAsync(user, k, name, script).ConfigureAwait(false);
        }

        var result = await script(id).ConfigureAwait(false);
        return IsGone(result) ? throw NotFound(name) : (id, result);
    }
}
