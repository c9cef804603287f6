namespace SecureActors.Client.Tests.Support;

/// <summary>A fresh directory for known_hosts and key files, removed afterwards.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sa-client-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Writes a file with the given Unix mode (key files must not be readable by others).</summary>
    public string WriteFile(string name, string text, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite)
    {
        var path = File(name);
        System.IO.File.WriteAllText(path, text);
        if (!OperatingSystem.IsWindows())
        {
            System.IO.File.SetUnixFileMode(path, mode);
        }

        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
