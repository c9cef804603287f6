namespace SecureActors.Protocol.Tests.TestSupport;

/// <summary>Finds files beside the test binaries by walking up from the output directory.</summary>
internal static class RepoFiles
{
    public static string? FindUp(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate) || Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// The shared Wycheproof folder: $SECUREACTORS_WYCHEPROOF, else the nearest <c>shared/wycheproof</c>
    /// above the test binaries (CI clones the repository with <c>shared/</c> as a sibling).
    /// </summary>
    public static string Wycheproof()
    {
        var fromEnv = Environment.GetEnvironmentVariable("SECUREACTORS_WYCHEPROOF");
        if (!string.IsNullOrEmpty(fromEnv))
        {
            return fromEnv;
        }

        return FindUp(Path.Combine("shared", "wycheproof"))
            ?? throw new DirectoryNotFoundException("shared/wycheproof not found above " + AppContext.BaseDirectory + "; set SECUREACTORS_WYCHEPROOF");
    }
}
