using Microsoft.Extensions.Logging;
using Postroom.Config;
using Postroom.Mailbox;
using Postroom.Storage;

namespace Postroom.Pop3.Session;

/// <summary>Everything a session needs from outside the protocol, shared by all sessions of a listener.</summary>
public sealed record Pop3Services(
    IConfigSnapshotSource Config,
    IMailboxStore Mailboxes,
    IBlobStore Blobs,
    IPop3RateLimiter RateLimiter,
    IMaildropLocks Locks,
    TimeProvider Time,
    ILogger Logger);
