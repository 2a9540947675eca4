using System.Diagnostics;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using MimeKit;

namespace Postroom.Ingress.Tests;

/// <summary>Local delivery end to end: SMTP in on the MX port, the host's delivery worker, IMAP out.</summary>
public sealed class LocalDeliveryTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    [Fact]
    public async Task Mail_to_an_alias_is_readable_over_imap_by_each_target_with_return_path_and_delivered_to()
    {
        var subject = $"delivery-{Guid.NewGuid():N}";
        using (var smtp = fixture.CreateClient())
        {
            var reply = await HostFixture.SendAsync(smtp, fixture.Host.MxPort, SecureSocketOptions.None, HostFixture.Message("bob@remote.example", "sales@example.com", subject));
            Assert.StartsWith("2.0.0", reply, StringComparison.Ordinal);
        }

        foreach (var (user, password) in new[] { ("jane@example.com", "jane-password"), ("john@example.com", "john-password") })
        {
            var message = await WaitForMessageAsync(user, password, subject, TimeSpan.FromSeconds(10));
            Assert.Equal("<bob@remote.example>", message.Headers[HeaderId.ReturnPath]);
            Assert.Equal(user, message.Headers["Delivered-To"]);
            Assert.Contains("A line with only a dot above.", message.TextBody, StringComparison.Ordinal);
        }
    }

    private async Task<MimeMessage> WaitForMessageAsync(string user, string password, string subject, TimeSpan timeout)
    {
        using var imap = new ImapClient { ServerCertificateValidationCallback = PinnedCertificate, Timeout = 15000 };
        await imap.ConnectAsync("127.0.0.1", fixture.Host.ImapPort, SecureSocketOptions.StartTls);
        await imap.AuthenticateAsync(user, password);
        await imap.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            var found = await imap.Inbox.SearchAsync(SearchQuery.SubjectContains(subject));
            if (found.Count > 0)
            {
                var message = await imap.Inbox.GetMessageAsync(Assert.Single(found));
                await imap.DisconnectAsync(quit: true);
                return message;
            }

            Assert.True(stopwatch.Elapsed < timeout, $"{user} did not receive '{subject}' within {timeout}\n{fixture.Host.Output}");
            await Task.Delay(100);
        }
    }

    private bool PinnedCertificate(object sender, System.Security.Cryptography.X509Certificates.X509Certificate? certificate, System.Security.Cryptography.X509Certificates.X509Chain? chain, System.Net.Security.SslPolicyErrors errors)
    {
        var pinned = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(fixture.CertificatePath);
        return certificate is not null && certificate.GetCertHashString() == pinned.GetCertHashString();
    }
}
