using SecureActors.Protocol.Identity;
using SecureActors.Protocol.Tests.TestSupport;

namespace SecureActors.Protocol.Tests.Identity;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class KeyFileTests
{
    [Fact]
    public void Generate_NewFile_IsPkcs8PemWithMode0600()
    {
        using var dir = new TempDirectory();
        var path = dir.File("server.key");

        using var identity = KeyFile.Generate(path, 2048);

        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(path), StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        using var loaded = KeyFile.Load(path);
        Assert.Equal(identity.Fingerprint, loaded.Fingerprint);
    }

    [Fact]
    public void Load_WorldReadableKey_RefusedWithFileNameAndChmodFix()
    {
        using var dir = new TempDirectory();
        var path = dir.File("client.key");
        File.WriteAllText(path, TestKeys.Client.ExportPkcs8Pem());
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var ex = Assert.Throws<KeyFileException>(() => KeyFile.Load(path));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("chmod 600", ex.Message, StringComparison.Ordinal);
        Assert.Contains("0644", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WeakKey_Refused()
    {
        using var dir = new TempDirectory();
        var path = dir.File("weak.key");
        File.WriteAllText(path, TestKeys.Weak1024.ExportPkcs8PrivateKeyPem());
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var ex = Assert.Throws<KeyFileException>(() => KeyFile.Load(path));

        Assert.Contains("1024 bits", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NotAKey_RefusedWithFileName()
    {
        using var dir = new TempDirectory();
        var path = dir.File("garbage.key");
        File.WriteAllText(path, "hello");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var ex = Assert.Throws<KeyFileException>(() => KeyFile.Load(path));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_ExistingFile_Throws()
    {
        using var dir = new TempDirectory();
        var path = dir.File("exists.key");
        File.WriteAllText(path, "x");

        Assert.Throws<IOException>(() => KeyFile.Generate(path, 2048));
        Assert.Equal("x", File.ReadAllText(path));
    }

    [Fact]
    public void Fingerprint_KnownSpki_IsSha256UnpaddedBase64()
    {
        var spki = Convert.FromHexString("3059301306072a8648ce3d020106082a8648ce3d03010703420004");

        var fingerprint = Fingerprint.Of(spki);

        var expected = "SHA256:" + Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(spki)).TrimEnd('=');
        Assert.Equal(expected, fingerprint);
        Assert.DoesNotContain("=", fingerprint, StringComparison.Ordinal);
        Assert.Equal(50, fingerprint.Length);
    }
}
