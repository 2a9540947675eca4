using Postroom.Smtp.Protocol;

namespace Postroom.Smtp.Policy;

/// <summary>Refuses clients from blocked networks at connect (tcpserver deny rules, sendmail access REJECT).</summary>
public sealed class BlockedNetworkPolicy : ISmtpPolicy
{
    public ValueTask<PolicyResult> OnConnectAsync(PolicyContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(IpNetwork.AnyContains(context.Options.BlockedNetworks, context.Session.ClientAddress)
            ? PolicyResult.Reject(SmtpReplies.ClientBlocked)
            : PolicyResult.Continue);
}
