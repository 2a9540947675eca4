using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Postroom.Hosting.Tls;

/// <summary>
/// Serves the current server certificate. A certificate from files is reloaded when the files change, so a
/// rotated Secret (cert-manager renewals) takes effect on the next handshake without a restart.
/// </summary>
public sealed class CertificateProvider
{
    private readonly string? _certificatePath;
    private readonly string? _keyPath;
    private readonly TimeSpan _checkInterval;
    private readonly Lock _gate = new();
    private X509Certificate2? _current;
    private DateTime _loadedWriteTime;
    private long _nextCheck;

    private CertificateProvider(string? certificatePath, string? keyPath, TimeSpan checkInterval)
    {
        _certificatePath = certificatePath;
        _keyPath = keyPath;
        _checkInterval = checkInterval;
    }

    /// <summary>False when no certificate is configured: STARTTLS is not offered and implicit-TLS listeners are not opened.</summary>
    public bool IsAvailable => _certificatePath is not null;

    public static CertificateProvider Create(TlsSettings settings)
    {
        if (settings.CertificatePath is not null && settings.KeyPath is not null)
        {
            return new CertificateProvider(settings.CertificatePath, settings.KeyPath, settings.ReloadCheckInterval);
        }

        if (settings.SelfSignedDirectory is null)
        {
            return new CertificateProvider(null, null, settings.ReloadCheckInterval);
        }

        Directory.CreateDirectory(settings.SelfSignedDirectory);
        var cert = Path.Combine(settings.SelfSignedDirectory, "tls.crt");
        var key = Path.Combine(settings.SelfSignedDirectory, "tls.key");
        if (!File.Exists(cert) || !File.Exists(key))
        {
            WriteSelfSigned(settings.SelfSignedName, cert, key);
        }

        return new CertificateProvider(cert, key, settings.ReloadCheckInterval);
    }

    /// <summary>The certificate for the next handshake.</summary>
    public X509Certificate2 Current
    {
        get
        {
            if (_certificatePath is null || _keyPath is null)
            {
                throw new InvalidOperationException("no TLS certificate is configured");
            }

            lock (_gate)
            {
                var now = Environment.TickCount64;
                if (_current is null || now >= _nextCheck)
                {
                    _nextCheck = now + (long)_checkInterval.TotalMilliseconds;
                    var writeTime = File.GetLastWriteTimeUtc(_certificatePath);
                    if (_current is null || writeTime != _loadedWriteTime)
                    {
                        _current = Load(_certificatePath, _keyPath);
                        _loadedWriteTime = writeTime;
                    }
                }

                return _current;
            }
        }
    }

    private static X509Certificate2 Load(string certificatePath, string keyPath)
    {
        using var pem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        // Re-import so the private key is usable by SslStream on every platform (ephemeral PEM keys are not).
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    private static void WriteSelfSigned(string name, string certificatePath, string keyPath)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(name);
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
    }
}
