using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecureActors.Benchmarks.TlsPeer;

/// <summary>
/// The TLS settings both ends of the peer share, chosen to do the same cryptographic work as a
/// SecureActors session with the default suite:
/// <list type="bullet">
/// <item>TLS 1.3 only, TLS_AES_128_GCM_SHA256 only (our default suite is aes128-gcm-sha256; OpenSSL
/// would otherwise pick AES-256-GCM first).</item>
/// <item>ECDHE on P-256 only. SslStream has no API for groups, so the runner starts the peer with
/// <c>OPENSSL_CONF</c> pointing at a file with <c>Groups = P-256</c> (see
/// <see cref="OpenSslConfig"/>); OpenSSL would otherwise prefer X25519.</item>
/// <item>RSA-2048 certificates, signed handshakes with rsa_pss_rsae_sha256 (TLS 1.3 allows no other
/// RSA scheme for CertificateVerify).</item>
/// <item>A full handshake on every connection: <c>AllowTlsResume = false</c> on both sides, so the
/// client offers no cached session, and there is no PSK API, so nothing else could resume. The server
/// still sends two session tickets after each handshake (.NET exposes no ticket count; the scenario
/// runner's s_client check reports them); the clients never use them.</item>
/// </list>
/// </summary>
internal static class PeerTls
{
    /// <summary>OpenSSL configuration restricting key exchange to P-256 (and TLS 1.3) for the process that loads it.</summary>
    public const string OpenSslConfig = """
        openssl_conf = peer_conf
        [peer_conf]
        ssl_conf = peer_ssl
        [peer_ssl]
        system_default = peer_default
        [peer_default]
        MinProtocol = TLSv1.3
        Groups = P-256
        """;

    /// <summary>A self-signed RSA-2048 certificate with its private key, usable by SslStream on Linux.</summary>
    public static X509Certificate2 CreateCertificate(string subject, RSA? key = null)
    {
        using var generated = key is null ? RSA.Create(2048) : null;
        var rsa = key ?? generated!;
        var request = new CertificateRequest($"CN={subject}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var sanBuilder = new SubjectAlternativeNameBuilder();
        sanBuilder.AddDnsName(subject);
        request.CertificateExtensions.Add(sanBuilder.Build());
        var now = DateTimeOffset.UtcNow;
        using var ephemeral = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(2));
        // Round-trip through PKCS#12 so the private key is bound the way SslStream expects.
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
    }

    public static X509Certificate2 LoadPkcs12(string path) => X509CertificateLoader.LoadPkcs12FromFile(path, null);

    public static X509Certificate2 LoadPublic(string path) => X509CertificateLoader.LoadCertificateFromFile(path);

    public static SslServerAuthenticationOptions ServerOptions(X509Certificate2 certificate, X509Certificate2? trustedClient)
    {
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true),
            EnabledSslProtocols = SslProtocols.Tls13,
            AllowTlsResume = false,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            ClientCertificateRequired = trustedClient is not null,
        };
        if (OperatingSystem.IsLinux())
        {
            options.CipherSuitesPolicy = new CipherSuitesPolicy([TlsCipherSuite.TLS_AES_128_GCM_SHA256]);
        }

        if (trustedClient is not null)
        {
            // Mutual TLS the way a pinned deployment does it: the client certificate is its own trust
            // anchor (no system store, no revocation), and its exact bytes must match.
            options.CertificateChainPolicy = PinnedChainPolicy(trustedClient);
            options.RemoteCertificateValidationCallback = (_, presented, _, errors) =>
                errors == SslPolicyErrors.None && presented is not null && presented.GetRawCertData().AsSpan().SequenceEqual(trustedClient.RawData);
        }

        return options;
    }

    public static SslClientAuthenticationOptions ClientOptions(X509Certificate2 pinnedServer, X509Certificate2? clientCertificate)
    {
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = pinnedServer.GetNameInfo(X509NameType.DnsName, false),
            EnabledSslProtocols = SslProtocols.Tls13,
            AllowTlsResume = false,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            CertificateChainPolicy = PinnedChainPolicy(pinnedServer),
            // Like our client's known_hosts pin: only this exact certificate is accepted.
            RemoteCertificateValidationCallback = (_, presented, _, errors) =>
                errors == SslPolicyErrors.None && presented is not null && presented.GetRawCertData().AsSpan().SequenceEqual(pinnedServer.RawData),
        };
        if (OperatingSystem.IsLinux())
        {
            options.CipherSuitesPolicy = new CipherSuitesPolicy([TlsCipherSuite.TLS_AES_128_GCM_SHA256]);
        }

        if (clientCertificate is not null)
        {
            options.ClientCertificateContext = SslStreamCertificateContext.Create(clientCertificate, additionalCertificates: null, offline: true);
        }

        return options;
    }

    private static X509ChainPolicy PinnedChainPolicy(X509Certificate2 anchor)
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
            DisableCertificateDownloads = true,
        };
        policy.CustomTrustStore.Add(anchor);
        return policy;
    }
}
