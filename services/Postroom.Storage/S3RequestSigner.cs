using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Postroom.Storage;

/// <summary>
/// Signs a bodiless S3 request with AWS Signature V4 (header form), for the one call the Minio
/// 7.0.0 SDK can't make: aborting a multipart upload by its id.
/// </summary>
/// <remarks>
/// The SDK's only public abort, <c>RemoveIncompleteUploadAsync</c>, finds uploads by listing with
/// an empty <c>delimiter=</c> parameter, which Swift's s3api treats as a real delimiter (it groups
/// every upload into a common prefix), so nothing is found and nothing aborted. The SDK's request
/// builder and its abort-by-id call are internal. Listing works with delimiter "/", which gives the
/// upload ids; this signs the DELETE ?uploadId= that aborts each one.
/// </remarks>
internal sealed class S3RequestSigner
{
    private const string Algorithm = "AWS4-HMAC-SHA256";
    private const string EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private readonly Uri _baseUri;
    private readonly string _accessKey;
    private readonly string _secretKey;
    private readonly string _region;

    public S3RequestSigner(Uri baseUri, string accessKey, string secretKey, string region)
    {
        _baseUri = baseUri;
        _accessKey = accessKey;
        _secretKey = secretKey;
        _region = region;
    }

    /// <summary>A signed, path-style request for /bucket/key?query with an empty body.</summary>
    public HttpRequestMessage Create(HttpMethod method, string bucket, string key, IEnumerable<KeyValuePair<string, string>> query, DateTimeOffset now)
    {
        var canonicalUri = "/" + Encode(bucket, keepSlash: false) + "/" + Encode(key, keepSlash: true);
        var canonicalQuery = string.Join('&', query
            .Select(p => (Key: Encode(p.Key, keepSlash: false), Value: Encode(p.Value, keepSlash: false)))
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => p.Key + "=" + p.Value));
        var host = _baseUri.IsDefaultPort ? _baseUri.Host : _baseUri.Host + ":" + _baseUri.Port.ToString(CultureInfo.InvariantCulture);
        var amzDate = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var date = amzDate[..8];
        const string signedHeaders = "host;x-amz-content-sha256;x-amz-date";

        var canonicalRequest = string.Join('\n',
            method.Method,
            canonicalUri,
            canonicalQuery,
            $"host:{host}\nx-amz-content-sha256:{EmptyPayloadHash}\nx-amz-date:{amzDate}\n",
            signedHeaders,
            EmptyPayloadHash);
        var scope = $"{date}/{_region}/s3/aws4_request";
        var stringToSign = string.Join('\n', Algorithm, amzDate, scope, Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest))));

        var signingKey = Hmac(Encoding.UTF8.GetBytes("AWS4" + _secretKey), date);
        signingKey = Hmac(signingKey, _region);
        signingKey = Hmac(signingKey, "s3");
        signingKey = Hmac(signingKey, "aws4_request");
        var signature = Hex(HMACSHA256.HashData(signingKey, Encoding.UTF8.GetBytes(stringToSign)));

        // The URI must reach the wire exactly as signed, so .NET must not re-canonicalise it.
        var uri = new Uri(
            _baseUri.GetLeftPart(UriPartial.Authority) + canonicalUri + (canonicalQuery.Length > 0 ? "?" + canonicalQuery : ""),
            new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        var request = new HttpRequestMessage(method, uri);
        request.Headers.TryAddWithoutValidation("x-amz-date", amzDate);
        request.Headers.TryAddWithoutValidation("x-amz-content-sha256", EmptyPayloadHash);
        request.Headers.TryAddWithoutValidation(
            "Authorization",
            $"{Algorithm} Credential={_accessKey}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}");
        return request;
    }

    /// <summary>S3's URI encoding: everything but unreserved characters (and "/" in keys) as %XX of UTF-8.</summary>
    private static string Encode(string value, bool keepSlash)
    {
        var builder = new StringBuilder(value.Length * 2);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~' || (keepSlash && c == '/'))
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
