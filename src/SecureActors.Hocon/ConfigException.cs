namespace SecureActors.Hocon;

/// <summary>Base of every error the configuration library raises; carries where the problem was, when known.</summary>
public class ConfigException : Exception
{
    /// <summary>Creates an error located at <paramref name="origin"/>.</summary>
    public ConfigException(string message, ConfigOrigin? origin = null, Exception? inner = null)
        : base(message, inner) => Origin = origin;

    /// <summary>The file and line the error refers to, if any.</summary>
    public ConfigOrigin? Origin { get; }
}

/// <summary>Text that is not valid HOCON; the message starts with <c>file:line:column:</c>.</summary>
public sealed class HoconParseException(string message, ConfigOrigin origin)
    : ConfigException($"{origin.ToStringWithColumn()}: {message}", origin);

/// <summary>A substitution that cannot be resolved, or a cycle of substitutions.</summary>
public sealed class HoconResolveException(string message, ConfigOrigin? origin)
    : ConfigException(origin is null ? message : $"{origin}: {message}", origin);

/// <summary>A path was asked for that the configuration does not hold.</summary>
public sealed class ConfigMissingException(string path, ConfigOrigin? nearestOrigin)
    : ConfigException($"No configuration setting found for key '{path}'" + (nearestOrigin is null ? "" : $" (looked in the object from {nearestOrigin})"), nearestOrigin)
{
    /// <summary>The path that was asked for.</summary>
    public string Path { get; } = path;
}

/// <summary>A path holds a value that cannot be read as the type the caller asked for.</summary>
public sealed class ConfigWrongTypeException(string path, string expected, string actual, ConfigOrigin origin)
    : ConfigException($"{origin}: '{path}' has type {actual} rather than {expected}", origin)
{
    /// <summary>The path that was asked for.</summary>
    public string Path { get; } = path;
}
