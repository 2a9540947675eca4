using Microsoft.Extensions.Logging;
using Postroom.Config;
using Postroom.Mailbox;
using Postroom.Storage;

namespace Postroom.Imap.Session;

/// <summary>Everything a session needs from outside the protocol, shared by all sessions of a listener.</summary>
public sealed record ImapServices(
    IConfigSnapshotSource Config,
    IMailboxStore Store,
    IBlobStore Blobs,
    TimeProvider Time,
    ILogger Logger);
