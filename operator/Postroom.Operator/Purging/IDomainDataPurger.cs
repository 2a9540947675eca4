using Grpc.Net.Client;
using Postroom.Mailbox.V1;

namespace Postroom.Operator.Purging;

/// <summary>Removes a domain's mailboxes and their blobs (a MailDomain deleted with reclaimPolicy Delete).</summary>
public interface IDomainDataPurger
{
    Task PurgeAsync(string domain, CancellationToken cancellationToken);
}

/// <summary>Purges through mailbox-access's gRPC API (<c>DeleteDomainData</c>).</summary>
public sealed class GrpcDomainDataPurger(MailboxService.MailboxServiceClient client) : IDomainDataPurger
{
    public static GrpcDomainDataPurger Create(Uri endpoint) => new(new MailboxService.MailboxServiceClient(GrpcChannel.ForAddress(endpoint)));

    public async Task PurgeAsync(string domain, CancellationToken cancellationToken) =>
        await client.DeleteDomainDataAsync(new DeleteDomainDataRequest { Domain = domain }, cancellationToken: cancellationToken);
}

/// <summary>Used when no mailbox-access endpoint is configured: a Delete policy then fails loudly and keeps the finalizer.</summary>
public sealed class UnconfiguredDomainDataPurger : IDomainDataPurger
{
    public Task PurgeAsync(string domain, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("MailboxAccess:Endpoint is not configured; cannot purge " + domain);
}
