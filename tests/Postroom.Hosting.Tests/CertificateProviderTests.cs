using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Postroom.Hosting.Tls;

namespace Postroom.Hosting.Tests;

public sealed class CertificateProviderTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("postroom-tls-");

    [Fact]
    public void Self_signed_certificate_is_made_once_and_reused()
    {
        var settings = new TlsSettings { SelfSignedDirectory = _directory.FullName, SelfSignedName = "mail.test" };

        var first = CertificateProvider.Create(settings).Current;
        var second = CertificateProvider.Create(settings).Current;

        Assert.True(first.HasPrivateKey);
        Assert.Equal("CN=mail.test", first.Subject);
        Assert.Equal(first.Thumbprint, second.Thumbprint);
    }

    [Fact]
    public async Task A_rotated_certificate_is_served_without_a_restart()
    {
        var cert = Path.Combine(_directory.FullName, "tls.crt");
        var key = Path.Combine(_directory.FullName, "tls.key");
        Write(cert, key, "CN=before");
        var provider = CertificateProvider.Create(new TlsSettings { CertificatePath = cert, KeyPath = key, ReloadCheckInterval = TimeSpan.FromMilliseconds(100) });
        Assert.Equal("CN=before", provider.Current.Subject);

        Write(cert, key, "CN=after");
        File.SetLastWriteTimeUtc(cert, DateTime.UtcNow.AddSeconds(1));
        await Task.Delay(300);

        Assert.Equal("CN=after", provider.Current.Subject);
    }

    [Fact]
    public void Without_a_certificate_tls_is_unavailable()
    {
        var provider = CertificateProvider.Create(new TlsSettings());

        Assert.False(provider.IsAvailable);
        Assert.Throws<InvalidOperationException>(() => provider.Current);
    }

    public void Dispose() => _directory.Delete(recursive: true);

    private static void Write(string certPath, string keyPath, string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var cert = new CertificateRequest(subject, key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(certPath, cert.ExportCertificatePem());
    }
}
