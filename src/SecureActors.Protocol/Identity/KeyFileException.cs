namespace SecureActors.Protocol.Identity;

/// <summary>A key or trust file cannot be used (unsafe permissions, bad syntax, weak key). The message names the file and, for syntax, the line.</summary>
public sealed class KeyFileException : Exception
{
    /// <summary>Creates the exception.</summary>
    public KeyFileException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public KeyFileException()
    {
    }

    /// <summary>Creates the exception with a cause.</summary>
    public KeyFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
