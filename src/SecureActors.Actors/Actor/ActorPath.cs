using System.Text;

namespace SecureActors.Actors.Actor;

/// <summary>
/// The address of an actor: <c>sa://system/user/parent/child</c>. Two paths are equal when their
/// elements are equal; the <see cref="Uid"/> tells incarnations of the same path apart.
/// </summary>
public sealed class ActorPath : IEquatable<ActorPath>
{
    /// <summary>The scheme of every local path.</summary>
    public const string Scheme = "sa";

    private readonly string[] _elements;
    private string? _text;

    private ActorPath(string systemName, string[] elements, int uid)
    {
        SystemName = systemName;
        _elements = elements;
        Uid = uid;
    }

    /// <summary>The root path of a system, <c>sa://name/</c>.</summary>
    public static ActorPath Root(string systemName) => new(systemName, [], 0);

    /// <summary>The name of the actor system.</summary>
    public string SystemName { get; }

    /// <summary>The path elements below the root, e.g. <c>["user", "server"]</c>.</summary>
    public IReadOnlyList<string> Elements => _elements;

    /// <summary>The last element (the actor's name); empty for the root.</summary>
    public string Name => _elements.Length == 0 ? "" : _elements[^1];

    /// <summary>Identifies the incarnation; 0 when unknown (a path built from text).</summary>
    public int Uid { get; }

    /// <summary>The parent path; the root is its own parent.</summary>
    public ActorPath Parent => _elements.Length == 0 ? this : new ActorPath(SystemName, _elements[..^1], 0);

    /// <summary>The path of a child named <paramref name="name"/>.</summary>
    public ActorPath Child(string name, int uid = 0) => new(SystemName, [.. _elements, name], uid);

    /// <summary>The path without the scheme and system, e.g. <c>/user/server</c>.</summary>
    public string ToStringWithoutAddress() => _elements.Length == 0 ? "/" : "/" + string.Join('/', _elements);

    /// <inheritdoc />
    public override string ToString()
    {
        if (_text is null)
        {
            var builder = new StringBuilder(Scheme).Append("://").Append(SystemName);
            builder.Append(ToStringWithoutAddress());
            _text = builder.ToString();
        }

        return _text;
    }

    /// <inheritdoc />
    public bool Equals(ActorPath? other) =>
        other is not null && SystemName == other.SystemName && _elements.AsSpan().SequenceEqual(other._elements);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ActorPath);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToString());

    /// <summary>Compares by elements, ignoring the uid.</summary>
    public static bool operator ==(ActorPath? left, ActorPath? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Compares by elements, ignoring the uid.</summary>
    public static bool operator !=(ActorPath? left, ActorPath? right) => !(left == right);

    /// <summary>True when <paramref name="name"/> may name an actor: non-empty, no '/', no whitespace, not starting with '$'.</summary>
    public static bool IsValidName(string name)
    {
        if (string.IsNullOrEmpty(name) || name[0] == '$')
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || "-_.*+:@&=,!~';".Contains(c)))
            {
                return false;
            }
        }

        return true;
    }
}
