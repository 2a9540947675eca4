using Postroom.Smtp.Protocol;

namespace Postroom.Smtp.Policy;

/// <summary>What a policy hook decided: go on to the next hook, accept now, or refuse with a reply.</summary>
public readonly record struct PolicyResult(PolicyDecision Decision, SmtpReply? Reply)
{
    public static PolicyResult Continue => new(PolicyDecision.Continue, null);

    public static PolicyResult Accept => new(PolicyDecision.Accept, null);

    /// <summary>A permanent refusal (5xx).</summary>
    public static PolicyResult Reject(SmtpReply reply) => new(PolicyDecision.Reject, reply);

    /// <summary>A temporary refusal (4xx): the client should try again later.</summary>
    public static PolicyResult Defer(SmtpReply reply) => new(PolicyDecision.Defer, reply);
}

public enum PolicyDecision
{
    Continue,
    Accept,
    Reject,
    Defer,
}
