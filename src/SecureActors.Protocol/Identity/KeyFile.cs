using System.Security.Cryptography;
using SecureActors.Protocol.Crypto;

namespace SecureActors.Protocol.Identity;

/// <summary>
/// RSA identity keys on disk as PKCS#8 PEM (<c>-----BEGIN PRIVATE KEY-----</c>). New files are
/// created with mode 0600 atomically (never world-readable, even briefly); loading refuses a file
/// that group or others can access, like OpenSSH does.
/// </summary>
public static class KeyFile
{
    private const UnixFileMode Forbidden =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Generates a key and writes it to a new file (fails if the file exists).</summary>
    public static LocalIdentity Generate(string path, int bits = 3072)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var identity = LocalIdentity.Generate(bits);
        try
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using var stream = new FileStream(path, options);
            using var writer = new StreamWriter(stream);
            writer.Write(identity.ExportPkcs8Pem());
            writer.Write('\n');
            return identity;
        }
        catch
        {
            identity.Dispose();
            throw;
        }
    }

    /// <summary>Loads a PKCS#8 PEM key, refusing unsafe permissions and keys outside 2048..4096 bits.</summary>
    public static LocalIdentity Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new KeyFileException($"private key file '{path}' does not exist");
        }

        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            if ((mode & Forbidden) != 0)
            {
                throw new KeyFileException(
                    $"private key file '{path}' is accessible by group or others (mode {ToOctal(mode)}); it must be private: run `chmod 600 {path}`");
            }
        }

        var pem = File.ReadAllText(path);
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            rsa.Dispose();
            throw new KeyFileException($"private key file '{path}' is not an RSA PKCS#8 PEM key", ex);
        }

        var parameters = rsa.ExportParameters(false);
        if (RsaKeyPolicy.CheckParameters(parameters.Modulus, parameters.Exponent) is { } failure)
        {
            rsa.Dispose();
            throw new KeyFileException($"private key file '{path}' holds an unacceptable key: {failure.Reason}");
        }

        return new LocalIdentity(rsa);
    }

    /// <summary>Loads the key, or generates it on first start.</summary>
    public static LocalIdentity LoadOrGenerate(string path, int bits = 3072, Action<string>? onGenerated = null)
    {
        if (File.Exists(path))
        {
            return Load(path);
        }

        var identity = Generate(path, bits);
        onGenerated?.Invoke(identity.Fingerprint);
        return identity;
    }

    private static string ToOctal(UnixFileMode mode) => Convert.ToString((int)mode & 0x1FF, 8).PadLeft(4, '0');
}
