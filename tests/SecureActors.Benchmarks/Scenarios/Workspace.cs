using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecureActors.Benchmarks.TlsPeer;
using SecureActors.Protocol.Identity;

namespace SecureActors.Benchmarks.Scenarios;

/// <summary>
/// The runner's scratch directory and the keys both systems use, made once per run: the SecureActors
/// server key (RSA-2048, so both servers sign with the same modulus size), one client key serving as
/// our client identity and, wrapped in a self-signed certificate, as the peer's mutual-TLS
/// certificate, the authorized_clients line for it, and the OpenSSL configuration that restricts the
/// peer to P-256.
/// </summary>
internal sealed record Workspace(
    string Directory,
    string ServerKey,
    string ServerFingerprint,
    string ClientKey,
    string AuthorizedClients,
    string ClientPkcs12,
    string ClientCertificate,
    string OpenSslConfig)
{
    public static Workspace Create(string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        using var serverKey = RSA.Create(2048);
        using var clientKey = RSA.Create(2048);
        var workspace = new Workspace(
            directory,
            Path.Combine(directory, "server_key.pem"),
            Fingerprint.Of(serverKey.ExportSubjectPublicKeyInfo()),
            Path.Combine(directory, "client_key.pem"),
            Path.Combine(directory, "authorized_clients"),
            Path.Combine(directory, "client.pfx"),
            Path.Combine(directory, "client.cer"),
            Path.Combine(directory, "peer-openssl.cnf"));
        WritePrivate(workspace.ServerKey, serverKey.ExportPkcs8PrivateKeyPem());
        WritePrivate(workspace.ClientKey, clientKey.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(workspace.AuthorizedClients, $"sap-rsa {Convert.ToBase64String(clientKey.ExportSubjectPublicKeyInfo())} load-client\n");
        using var certificate = PeerTls.CreateCertificate("load-client", clientKey);
        File.WriteAllBytes(workspace.ClientPkcs12, certificate.Export(X509ContentType.Pkcs12));
        Restrict(workspace.ClientPkcs12);
        File.WriteAllBytes(workspace.ClientCertificate, certificate.Export(X509ContentType.Cert));
        File.WriteAllText(workspace.OpenSslConfig, PeerTls.OpenSslConfig + "\n");
        return workspace;
    }

    public string PathOf(string name) => Path.Combine(Directory, name);

    private static void WritePrivate(string path, string content)
    {
        File.WriteAllText(path, content);
        Restrict(path);
    }

    /// <summary>Mode 0600: the server refuses a key file others can read.</summary>
    private static void Restrict(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
