using System.Security.Cryptography.X509Certificates;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Postroom.Queue;
using Postroom.Testing;
using StackExchange.Redis;

namespace Postroom.Ingress.Tests;

/// <summary>One all-in-one host shared by the tests of a class, with clients to inspect what it committed.</summary>
public sealed class HostFixture : IAsyncLifetime
{
    public PostroomHost Host { get; private set; } = null!;

    public ConnectionMultiplexer Redis { get; private set; } = null!;

    public RedisMailQueue Queue { get; private set; } = null!;

    public string CertificatePath => Path.Combine(Host.DataDirectory, "tls", "tls.crt");

    public async Task InitializeAsync()
    {
        Host = await PostroomHost.StartAsync();
        Redis = await ConnectionMultiplexer.ConnectAsync(Host.GarnetEndPoint);
        Queue = new RedisMailQueue(Redis);
    }

    public async Task DisposeAsync()
    {
        await Redis.DisposeAsync();
        await Host.DisposeAsync();
    }

    /// <summary>A MailKit client that trusts exactly the host's self-signed certificate.</summary>
    public SmtpClient CreateClient()
    {
        var pinned = X509CertificateLoader.LoadCertificateFromFile(CertificatePath);
        return new SmtpClient
        {
            ServerCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && certificate.GetCertHashString() == pinned.GetCertHashString(),
            Timeout = 15000,
        };
    }

    public static MimeMessage Message(string from, string to, string subject) => new()
    {
        From = { MailboxAddress.Parse(from) },
        To = { MailboxAddress.Parse(to) },
        Subject = subject,
        Body = new TextPart("plain") { Text = $"Body of {subject}\n.\nA line with only a dot above.\n" },
    };

    /// <summary>The queue id in a "250 2.0.0 OK: queued as ID" reply.</summary>
    public static QueueId QueueIdFrom(string reply) => QueueId.Parse(reply[(reply.LastIndexOf(' ') + 1)..].Trim());

    public static async Task<string> SendAsync(SmtpClient client, int port, SecureSocketOptions security, MimeMessage message, string? user = null, string? password = null)
    {
        await client.ConnectAsync("127.0.0.1", port, security);
        if (user is not null)
        {
            await client.AuthenticateAsync(user, password ?? "");
        }

        var reply = await client.SendAsync(message);
        await client.DisconnectAsync(quit: true);
        return reply;
    }
}
