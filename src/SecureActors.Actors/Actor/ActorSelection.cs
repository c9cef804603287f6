namespace SecureActors.Actors.Actor;

/// <summary>
/// Actors found by path, resolved each time a message is sent: absolute (<c>/user/a/b</c>, or with
/// the <c>sa://system</c> address) or relative to an actor (<c>child</c>, <c>../sibling</c>).
/// Elements may use the wildcards <c>*</c> and <c>?</c>. A selection that matches nobody sends
/// the message to dead letters (an <see cref="Identify"/> is answered with an empty <see cref="ActorIdentity"/>).
/// </summary>
public sealed class ActorSelection : ICanTell
{
    private readonly InternalActorRef _anchor;
    private readonly string[] _elements;

    private ActorSelection(ActorSystem system, InternalActorRef anchor, string[] elements, string pathString)
    {
        System = system;
        _anchor = anchor;
        _elements = elements;
        PathString = pathString;
    }

    /// <summary>The path as given.</summary>
    public string PathString { get; }

    internal ActorSystem System { get; }

    internal static ActorSelection Create(ActorSystem system, InternalActorRef relativeTo, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var text = path;
        var prefix = $"{ActorPath.Scheme}://{system.Name}";
        InternalActorRef anchor = relativeTo;
        if (text.StartsWith(prefix, StringComparison.Ordinal))
        {
            text = text[prefix.Length..];
            anchor = system.RootGuardian;
        }
        else if (text.StartsWith('/'))
        {
            anchor = system.RootGuardian;
        }

        var elements = text.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return new ActorSelection(system, anchor, elements, path);
    }

    /// <summary>Sends to every actor the path matches now.</summary>
    public void Tell(object message, IActorRef? sender)
    {
        var matches = Resolve();
        if (matches.Count == 0)
        {
            System.DeadLetters.Tell(new Event.DeadLetter(message, sender ?? System.DeadLetters, System.DeadLetters), sender);
            return;
        }

        foreach (var match in matches)
        {
            match.Tell(message, sender);
        }
    }

    /// <summary>The single actor the path names, or <see cref="ActorNotFoundException"/>.</summary>
    public Task<IActorRef> ResolveOne()
    {
        var matches = Resolve();
        return matches.Count == 1
            ? Task.FromResult<IActorRef>(matches[0])
            : Task.FromException<IActorRef>(new ActorNotFoundException($"Actor not found for selection [{PathString}] ({matches.Count} matches)."));
    }

    /// <summary>
    /// Akka.NET's <c>ResolveOne(timeout)</c>: the single actor the path names, or
    /// <see cref="ActorNotFoundException"/>. Resolution is local and immediate, so
    /// <paramref name="timeout"/> only has to be positive, as in Akka.NET.
    /// </summary>
    public Task<IActorRef> ResolveOne(TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        return ResolveOne();
    }

    internal List<InternalActorRef> Resolve()
    {
        List<InternalActorRef> current = [_anchor];
        foreach (var element in _elements)
        {
            List<InternalActorRef> next = [];
            foreach (var actor in current)
            {
                if (element == "..")
                {
                    if (actor is LocalActorRef local)
                    {
                        next.Add(local.Cell.Parent);
                    }
                }
                else if (element == ".")
                {
                    next.Add(actor);
                }
                else if (element.Contains('*') || element.Contains('?'))
                {
                    next.AddRange(actor.GetChildren().Where(c => WildcardMatch(element, c.Path.Name)));
                }
                else if (actor.GetChild(element) is { } child)
                {
                    next.Add(child);
                }
            }

            current = next;
        }

        return current;
    }

    private static bool WildcardMatch(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text)
    {
        if (pattern.IsEmpty)
        {
            return text.IsEmpty;
        }

        return pattern[0] switch
        {
            '*' => WildcardMatch(pattern[1..], text) || (!text.IsEmpty && WildcardMatch(pattern, text[1..])),
            '?' => !text.IsEmpty && WildcardMatch(pattern[1..], text[1..]),
            _ => !text.IsEmpty && pattern[0] == text[0] && WildcardMatch(pattern[1..], text[1..]),
        };
    }

    /// <inheritdoc />
    public override string ToString() => $"ActorSelection[{PathString}]";
}
