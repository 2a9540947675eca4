namespace Postroom.Hosting.Tls;

/// <summary>Where the server certificate comes from (configuration section <c>Tls</c>).</summary>
public sealed class TlsSettings
{
    /// <summary>PEM certificate chain, e.g. <c>tls.crt</c> of a Kubernetes TLS Secret.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>PEM private key, e.g. <c>tls.key</c>.</summary>
    public string? KeyPath { get; set; }

    /// <summary>
    /// When no certificate is configured, make a self-signed one in this directory on first start and reuse it
    /// (the all-in-one host does). Null means TLS is off unless a certificate is configured.
    /// </summary>
    public string? SelfSignedDirectory { get; set; }

    /// <summary>How often the certificate files are checked for a rotation.</summary>
    public TimeSpan ReloadCheckInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The name in a self-signed certificate.</summary>
    public string SelfSignedName { get; set; } = "localhost";
}
