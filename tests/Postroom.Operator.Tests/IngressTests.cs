using Postroom.Config.Model;

namespace Postroom.Operator.Tests;

/// <summary>The operator's snapshot as a running smtp-ingress sees it: new domains, users and passwords within 5 s.</summary>
public sealed class IngressTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task New_domain_users_and_secret_passwords_take_effect_on_a_running_ingress_within_5_seconds()
    {
        await using var env = await OperatorEnvironment.StartAsync(withIngress: true);
        var ingress = env.Ingress!;
        await env.StartOperatorAsync();
        Assert.StartsWith("5", await SmtpProbe.SendAsync(ingress.MxPort, "jane@fresh.example"), StringComparison.Ordinal);

        await env.PutSecretAsync("fresh-passwords", new Dictionary<string, string> { ["jane"] = Hashes.Jane });
        await env.CreateDomainAsync("fresh", OperatorEnvironment.Spec(
            "fresh.example",
            new MailUserSpec { Name = "jane", PasswordSecretRef = new SecretKeyRef { Name = "fresh-passwords", Key = "jane" } }));
        await SmtpProbe.WaitForReplyAsync(() => SmtpProbe.SendAsync(ingress.MxPort, "jane@fresh.example"), "250", Within);

        // Add a user.
        Assert.StartsWith("550", await SmtpProbe.SendAsync(ingress.MxPort, "bob@fresh.example"), StringComparison.Ordinal);
        await env.PatchSpecAsync("fresh", $$$"""{"spec":{"users":[{"name":"postmaster","password":"{{{Hashes.Postmaster}}}"},{"name":"jane","passwordSecretRef":{"name":"fresh-passwords","key":"jane"}},{"name":"bob","password":"{{{Hashes.Bob}}}"}]}}""");
        await SmtpProbe.WaitForReplyAsync(() => SmtpProbe.SendAsync(ingress.MxPort, "bob@fresh.example"), "250", Within);

        // Change a password through its Secret: same generation, new hash.
        Assert.StartsWith("235", await SmtpProbe.AuthAsync(ingress.SubmissionPort, "jane@fresh.example", "jane-password"), StringComparison.Ordinal);
        await env.PutSecretAsync("fresh-passwords", new Dictionary<string, string> { ["jane"] = Hashes.JaneNew });
        await SmtpProbe.WaitForReplyAsync(() => SmtpProbe.AuthAsync(ingress.SubmissionPort, "jane@fresh.example", "jane-new-password"), "235", Within);
        Assert.StartsWith("535", await SmtpProbe.AuthAsync(ingress.SubmissionPort, "jane@fresh.example", "jane-password"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_edit_keeps_the_previous_generation_serving_on_the_ingress()
    {
        await using var env = await OperatorEnvironment.StartAsync(withIngress: true);
        var ingress = env.Ingress!;
        await env.StartOperatorAsync();
        await env.CreateDomainAsync("steady", OperatorEnvironment.Spec("steady.example", new MailUserSpec { Name = "jane", Password = Hashes.Jane }));
        await SmtpProbe.WaitForReplyAsync(() => SmtpProbe.SendAsync(ingress.MxPort, "jane@steady.example"), "250", Within);

        // Renames jane to an invalid local part and removes the postmaster: two errors, one field path each.
        await env.PatchSpecAsync("steady", $$$"""{"spec":{"users":[{"name":"jane doe","password":"{{{Hashes.Jane}}}"}]}}""");
        var degraded = await env.WaitForReadyAsync("steady", "False");
        Assert.Contains("spec.users[0].name", degraded.Status!.Conditions!.Single(c => c.Type == "Degraded").Message, StringComparison.Ordinal);

        Assert.StartsWith("250", await SmtpProbe.SendAsync(ingress.MxPort, "jane@steady.example"), StringComparison.Ordinal);
        Assert.StartsWith("250", await SmtpProbe.SendAsync(ingress.MxPort, "postmaster@steady.example"), StringComparison.Ordinal);
    }
}
