using System.Diagnostics;
using MailKit.Net.Smtp;
using MailKit.Security;
using Postroom.Storage;

namespace Postroom.Ingress.Tests;

/// <summary>Real clients through every listener role of the real host.</summary>
public sealed class ListenerRoleTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    [Fact]
    public async Task MailKit_delivers_through_mx_and_the_entry_and_body_are_stored()
    {
        // jeff@ forwards to a remote address: the entry stays queued (the local worker would deliver and
        // remove an entry for a local user before it could be inspected).
        using var client = fixture.CreateClient();
        var reply = await HostFixture.SendAsync(client, fixture.Host.MxPort, SecureSocketOptions.None,
            HostFixture.Message("alice@remote.example", "jeff@example.com", "via mx"));

        var entry = await fixture.Queue.GetAsync(HostFixture.QueueIdFrom(reply));
        Assert.NotNull(entry);
        Assert.Equal("alice@remote.example", entry.Envelope.Sender);
        Assert.Equal(["jeff@example.com"], entry.Recipients.Select(r => r.Recipient.Address));

        var blobs = new FileSystemBlobStore(new FileSystemBlobStoreOptions { RootPath = Path.Combine(fixture.Host.DataDirectory, "blobs") });
        await using var body = await blobs.OpenReadAsync(entry.Envelope.BodyKey, CancellationToken.None);
        var text = await new StreamReader(body).ReadToEndAsync();
        Assert.StartsWith("Received: from ", text, StringComparison.Ordinal);
        Assert.Contains($" id {entry.Id.Value}", text, StringComparison.Ordinal);
        Assert.Contains("Subject: via mx", text, StringComparison.Ordinal);
        Assert.Contains("\r\n.\r\nA line with only a dot above.", text, StringComparison.Ordinal);
        Assert.Equal(text.Length, entry.Envelope.BodySize);
    }

    [Fact]
    public async Task MailKit_relays_through_submission_after_starttls_and_auth()
    {
        using var client = fixture.CreateClient();
        var reply = await HostFixture.SendAsync(client, fixture.Host.SubmissionPort, SecureSocketOptions.StartTls,
            HostFixture.Message("jane@example.com", "friend@elsewhere.example", "via submission"), "jane@example.com", "jane-password");

        var entry = await fixture.Queue.GetAsync(HostFixture.QueueIdFrom(reply));
        Assert.Equal("jane@example.com", entry!.Envelope.Attributes[Queue.EnvelopeAttributes.AuthUser]);
        Assert.Equal("friend@elsewhere.example", entry.Recipients.Single().Recipient.Address);
    }

    [Fact]
    public async Task MailKit_sends_through_submissions_with_implicit_tls()
    {
        using var client = fixture.CreateClient();
        var reply = await HostFixture.SendAsync(client, fixture.Host.SubmissionsPort, SecureSocketOptions.SslOnConnect,
            HostFixture.Message("john@example.com", "friend@elsewhere.example", "via submissions"), "john@example.com", "john-password");

        Assert.NotNull(await fixture.Queue.GetAsync(HostFixture.QueueIdFrom(reply)));
    }

    [Fact]
    public async Task Submission_offers_no_auth_before_tls_and_refuses_unauthenticated_mail()
    {
        using var client = fixture.CreateClient();
        await client.ConnectAsync("127.0.0.1", fixture.Host.SubmissionPort, SecureSocketOptions.None);

        Assert.DoesNotContain("PLAIN", client.AuthenticationMechanisms);
        Assert.True(client.Capabilities.HasFlag(SmtpCapabilities.StartTLS));
        var error = await Assert.ThrowsAsync<MailKit.ServiceNotAuthenticatedException>(() =>
            client.SendAsync(HostFixture.Message("jane@example.com", "friend@elsewhere.example", "no auth")));
        Assert.Contains("5.7.0 Authentication required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_password_is_refused_with_535()
    {
        using var client = fixture.CreateClient();
        await client.ConnectAsync("127.0.0.1", fixture.Host.SubmissionPort, SecureSocketOptions.StartTls);

        var error = await Assert.ThrowsAsync<AuthenticationException>(() => client.AuthenticateAsync("jane@example.com", "wrong"));
        Assert.Contains("5.7.8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Relay_from_an_untrusted_address_is_refused()
    {
        using var client = fixture.CreateClient();
        await client.ConnectAsync("127.0.0.1", fixture.Host.MxPort, SecureSocketOptions.None);

        var error = await Assert.ThrowsAsync<SmtpCommandException>(() =>
            client.SendAsync(HostFixture.Message("alice@remote.example", "someone@elsewhere.example", "relay attempt")));
        Assert.Equal(SmtpErrorCode.RecipientNotAccepted, error.ErrorCode);
        Assert.Equal((SmtpStatusCode)554, error.StatusCode);
    }

    [Fact]
    public async Task Python_smtplib_submits_with_starttls_and_login()
    {
        var script = $$"""
            import smtplib, ssl
            from email.message import EmailMessage
            msg = EmailMessage()
            msg["From"] = "jane@example.com"
            msg["To"] = "friend@elsewhere.example"
            msg["Subject"] = "from smtplib"
            msg.set_content("hello from python\n")
            context = ssl.create_default_context(cafile="{{fixture.CertificatePath}}")
            with smtplib.SMTP("127.0.0.1", {{fixture.Host.SubmissionPort}}, timeout=15) as smtp:
                smtp.starttls(context=context)
                smtp.login("jane@example.com", "jane-password")
                smtp.send_message(msg)
                print(smtp.noop())
            """;

        var (exitCode, output) = await RunAsync("python3", ["-c", script]);

        Assert.True(exitCode == 0, output);
        Assert.Contains("2.0.0 OK", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Swaks_delivers_through_mx()
    {
        var (exitCode, output) = await RunAsync("swaks", ["--server", $"127.0.0.1:{fixture.Host.MxPort}", "--from", "bob@remote.example", "--to", "sales@example.com", "--body", "from swaks"]);

        Assert.True(exitCode == 0, output);
        Assert.Matches("<- +250 2.0.0 OK: queued as [0-9A-Z]{26}", output);
    }

    [Fact]
    public async Task Swaks_pipelines_and_uses_chunking_over_starttls_with_auth()
    {
        var (exitCode, output) = await RunAsync("swaks",
        [
            "--server", $"127.0.0.1:{fixture.Host.SubmissionPort}", "-tls", "--tls-ca-path", fixture.CertificatePath, "--tls-verify",
            "--auth", "LOGIN", "--auth-user", "john@example.com", "--auth-password", "john-password",
            "--from", "john@example.com", "--to", "jane@example.com", "--pipeline",
        ]);

        Assert.True(exitCode == 0, output);
        Assert.Contains("235 2.7.0", output, StringComparison.Ordinal);
        Assert.Contains("queued as", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_readiness_and_metrics_are_served()
    {
        using (var client = fixture.CreateClient())
        {
            await HostFixture.SendAsync(client, fixture.Host.MxPort, SecureSocketOptions.None, HostFixture.Message("m@remote.example", "jane@example.com", "metrics"));
        }

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{fixture.Host.HttpPort}") };
        Assert.Equal("ok", await http.GetStringAsync(new Uri("/healthz", UriKind.Relative)));
        Assert.Equal("ready", await http.GetStringAsync(new Uri("/readyz", UriKind.Relative)));
        var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Matches(@"postroom_smtp_transactions_total\{[^}]*result=""accepted""[^}]*\} [1-9]", metrics);
        Assert.Contains("postroom_smtp_connections_total", metrics, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
