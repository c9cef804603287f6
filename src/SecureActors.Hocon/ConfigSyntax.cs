namespace SecureActors.Hocon;

/// <summary>The language a configuration document is written in.</summary>
public enum ConfigSyntax
{
    /// <summary>HOCON, the default; a superset of JSON.</summary>
    Conf,

    /// <summary>
    /// Strict JSON: quoted keys, ':' only, commas between elements, and none of HOCON's additions (comments,
    /// unquoted strings, substitutions, includes, concatenation, triple quotes, duplicate keys). The root must be an object.
    /// </summary>
    Json,

    /// <summary>Java <c>.properties</c>: dotted keys become paths and every value is a string.</summary>
    Properties,
}
