using Microsoft.Extensions.Logging;
using Postroom.Config;
using Postroom.Smtp.Policy;

namespace Postroom.Smtp.Session;

/// <summary>Everything a session needs from outside the protocol, shared by all sessions of a listener.</summary>
public sealed record SmtpServices(
    IConfigSnapshotSource Config,
    IMessageCommitter Committer,
    ISmtpRateLimiter RateLimiter,
    IReadOnlyList<ISmtpPolicy> Policies,
    TimeProvider Time,
    ILogger Logger);
