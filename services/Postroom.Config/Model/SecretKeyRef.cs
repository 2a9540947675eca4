using System.Text.Json.Serialization;

namespace Postroom.Config.Model;

/// <summary>One key of a Secret in the resource's namespace.</summary>
public sealed class SecretKeyRef
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("key")]
    public string? Key { get; set; }
}

/// <summary>A Secret holding a username and a password.</summary>
public sealed class CredentialsSecretRef
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>Default <c>username</c>.</summary>
    [JsonPropertyName("usernameKey")]
    public string? UsernameKey { get; set; }

    /// <summary>Default <c>password</c>.</summary>
    [JsonPropertyName("passwordKey")]
    public string? PasswordKey { get; set; }
}
