using System.Text.Json.Serialization;
using k8s.Models;

namespace Postroom.Config.Model;

/// <summary>A mailbox owner: logs in as <c>name@domain</c>.</summary>
public sealed class MailUserSpec
{
    /// <summary>The local part, e.g. <c>jane</c> for <c>jane@example.com</c>.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>The person's name (vpopmail's gecos field).</summary>
    [JsonPropertyName("displayName")]
    public string? DisplayName { get; set; }

    /// <summary>A password hash: Argon2id, SHA-crypt, MD5-crypt, bcrypt, or Dovecot's <c>{SCHEME}</c> forms of them.</summary>
    [JsonPropertyName("password")]
    public string? Password { get; set; }

    /// <summary>A Secret key holding the password hash, instead of <see cref="Password"/>.</summary>
    [JsonPropertyName("passwordSecretRef")]
    public SecretKeyRef? PasswordSecretRef { get; set; }

    /// <summary>Mailbox quota, a Kubernetes quantity such as <c>2Gi</c>. Absent means unlimited.</summary>
    [JsonPropertyName("quota")]
    public ResourceQuantity? Quota { get; set; }

    /// <summary>Services the user may log in to: <c>smtp</c> (submission), <c>imap</c>, <c>pop3</c>. Absent means all.</summary>
    [JsonPropertyName("protocols")]
    public List<string>? Protocols { get; set; }

    /// <summary>A disabled user cannot log in and mail addressed to them is refused (<c>550 5.2.1</c>). Default true.</summary>
    [JsonPropertyName("enabled")]
    public bool? Enabled { get; set; }
}
