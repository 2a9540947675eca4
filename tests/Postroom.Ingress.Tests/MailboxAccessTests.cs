using System.Diagnostics;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Pop3;
using MailKit.Search;
using MailKit.Security;

namespace Postroom.Ingress.Tests;

/// <summary>IMAP and POP3 on the real host with real clients: MailKit and Python's imaplib and poplib.</summary>
public sealed class MailboxAccessTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private ImapClient NewImapClient() => new() { ServerCertificateValidationCallback = PinnedCertificate, Timeout = 15000 };

    [Fact]
    public async Task MailKit_imap_appends_reads_flags_moves_and_expunges()
    {
        using var imap = NewImapClient();
        await imap.ConnectAsync("127.0.0.1", fixture.Host.ImapPort, SecureSocketOptions.StartTls);
        await imap.AuthenticateAsync("john@example.com", "john-password");
        var inbox = imap.Inbox;
        await inbox.OpenAsync(FolderAccess.ReadWrite);
        var subject = $"imap-{Guid.NewGuid():N}";

        var uid = await inbox.AppendAsync(HostFixture.Message("a@remote.example", "john@example.com", subject), MessageFlags.None);
        Assert.NotNull(uid);

        var found = await inbox.SearchAsync(SearchQuery.SubjectContains(subject));
        Assert.Equal([uid.Value], found);
        var message = await inbox.GetMessageAsync(uid.Value);
        Assert.Equal(subject, message.Subject);
        Assert.Contains("A line with only a dot above.", message.TextBody, StringComparison.Ordinal);

        await inbox.AddFlagsAsync(uid.Value, MessageFlags.Flagged, silent: true);
        var summary = (await inbox.FetchAsync([uid.Value], MessageSummaryItems.Flags)).Single();
        Assert.True(summary.Flags!.Value.HasFlag(MessageFlags.Flagged));

        var archive = await imap.GetFolder(imap.PersonalNamespaces[0]).CreateAsync($"Projects-{Guid.NewGuid():N}", isMessageFolder: true);
        Assert.NotNull(archive);
        var moved = await inbox.MoveToAsync(uid.Value, archive);
        Assert.NotNull(moved);
        Assert.Empty(await inbox.SearchAsync(SearchQuery.SubjectContains(subject)));

        await archive.OpenAsync(FolderAccess.ReadWrite);
        await archive.AddFlagsAsync(moved.Value, MessageFlags.Deleted, silent: true);
        await archive.ExpungeAsync();
        Assert.Empty(await archive.SearchAsync(SearchQuery.SubjectContains(subject)));
        await imap.DisconnectAsync(quit: true);
    }

    [Fact]
    public async Task Imap_idle_sees_a_message_appended_by_another_session_within_a_second()
    {
        using var watcher = NewImapClient();
        await watcher.ConnectAsync("127.0.0.1", fixture.Host.ImapsPort, SecureSocketOptions.SslOnConnect);
        await watcher.AuthenticateAsync("postmaster@example.com", "postmaster-password");
        await watcher.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var before = watcher.Inbox.Count;
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        watcher.Inbox.CountChanged += (_, _) => arrived.TrySetResult();
        using var done = new CancellationTokenSource();
        var idle = watcher.IdleAsync(done.Token);

        using (var writer = NewImapClient())
        {
            await writer.ConnectAsync("127.0.0.1", fixture.Host.ImapPort, SecureSocketOptions.StartTls);
            await writer.AuthenticateAsync("postmaster@example.com", "postmaster-password");
            await writer.Inbox.AppendAsync(HostFixture.Message("a@remote.example", "postmaster@example.com", "idle"), MessageFlags.None);
            var stopwatch = Stopwatch.StartNew();
            await arrived.Task.WaitAsync(TimeSpan.FromSeconds(5));
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(1), $"IDLE saw the message after {stopwatch.Elapsed}");
        }

        await done.CancelAsync();
        await idle;
        Assert.Equal(before + 1, watcher.Inbox.Count);
    }

    [Fact]
    public async Task MailKit_pop3_retrieves_and_deletes_at_quit()
    {
        var subject = $"pop-{Guid.NewGuid():N}";
        using (var imap = NewImapClient())
        {
            await imap.ConnectAsync("127.0.0.1", fixture.Host.ImapPort, SecureSocketOptions.StartTls);
            await imap.AuthenticateAsync("jane@example.com", "jane-password");
            await imap.Inbox.AppendAsync(HostFixture.Message("a@remote.example", "jane@example.com", subject), MessageFlags.None);
        }

        using var pop = new Pop3Client { ServerCertificateValidationCallback = PinnedCertificate, Timeout = 15000 };
        await pop.ConnectAsync("127.0.0.1", fixture.Host.Pop3sPort, SecureSocketOptions.SslOnConnect);
        await pop.AuthenticateAsync("jane@example.com", "jane-password");
        var index = Enumerable.Range(0, pop.Count).Single(i => pop.GetMessage(i).Subject == subject);
        await pop.DeleteMessageAsync(index);
        await pop.DisconnectAsync(quit: true);

        using var check = NewImapClient();
        await check.ConnectAsync("127.0.0.1", fixture.Host.ImapPort, SecureSocketOptions.StartTls);
        await check.AuthenticateAsync("jane@example.com", "jane-password");
        await check.Inbox.OpenAsync(FolderAccess.ReadOnly);
        Assert.Empty(await check.Inbox.SearchAsync(SearchQuery.SubjectContains(subject)));
    }

    [Fact]
    public async Task Python_imaplib_and_poplib_read_the_same_mailbox()
    {
        var script = $$"""
            import imaplib, poplib, ssl
            ctx = ssl.create_default_context(cafile="{{fixture.CertificatePath}}")
            m = imaplib.IMAP4("127.0.0.1", {{fixture.Host.ImapPort}})
            m.starttls(ssl_context=ctx)
            m.login("support@example.com", "legacy-password")
            typ, data = m.append("INBOX", None, None, b"From: a@b.example\r\nSubject: from imaplib\r\n\r\nhello\r\n")
            assert typ == "OK", data
            m.select("INBOX")
            typ, data = m.search(None, "SUBJECT", "imaplib")
            assert typ == "OK" and data[0], data
            typ, data = m.fetch(data[0].split()[-1], "(BODY.PEEK[TEXT])")
            assert b"hello" in data[0][1], data
            m.logout()
            p = poplib.POP3("127.0.0.1", {{fixture.Host.Pop3Port}}, timeout=15)
            p.stls(context=ctx)
            p.user("support@example.com")
            p.pass_("legacy-password")
            count, size = p.stat()
            lines = p.retr(count)[1]
            assert b"Subject: from imaplib" in lines, lines
            p.quit()
            print("ok", count)
            """;
        var info = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, output);
        Assert.StartsWith("ok ", output, StringComparison.Ordinal);
    }

    private bool PinnedCertificate(object sender, System.Security.Cryptography.X509Certificates.X509Certificate? certificate, System.Security.Cryptography.X509Certificates.X509Chain? chain, System.Net.Security.SslPolicyErrors errors)
    {
        var pinned = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(fixture.CertificatePath);
        return certificate is not null && certificate.GetCertHashString() == pinned.GetCertHashString();
    }
}
