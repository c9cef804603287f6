using SecureActors.Hocon.Parsing;

namespace SecureActors.Hocon.Resolution;

/*
 * Substitution resolution (HOCON.md "Substitutions", "Self-Referential Substitutions").
 *
 * Every field holds a stack of layers (earliest first). A path's value is found by walking its stack from the top:
 * a non-object layer hides everything below it; object layers merge with the object layers directly beneath them.
 * Substitutions "look forward": they see the final value of their path, not the value at the point of writing.
 *
 * Self-reference ("look back") is implemented as the spec suggests: while a substitution or concatenation layer L of
 * the field at path P is being resolved, a restriction (P, L) hides L and every layer above it from lookups of P.
 * So `a = ${a} x` sees the earlier `a`, and `a = ${?a} x` with no earlier `a` sees nothing. If a lookup is emptied by
 * the innermost restriction, the field looked back at nothing: undefined. If it is emptied by an outer restriction,
 * the substitutions form a cycle: an error (or undefined for `${?…}`).
 *
 * A field that refers to itself through other fields looks back the same way: in `a = 1, b = ${a}, a = ${b}` the
 * `${a}` reached while resolving `a = ${b}` sees `a = 1`, as HOCON.md asks ("either directly or by referring to one
 * or more other substitutions"; a cycle "must be broken by looking backward"); Lightbend gives 1 too. Reached from
 * the other end (`b` resolved first, e.g. because `x = ${b}` comes earlier) the same document is a cycle at `b`,
 * which has nothing to look back at: HOCON.md leaves that order-dependent case open and Lightbend fails there as well.
 *
 * Objects and arrays that contain a reference to themselves (`a = { b = ${a} }`) are not self-referential; they are
 * caught as re-entry of a node that is still being resolved, which the innermost substitution on the way turns into
 * its error (or into undefined for `${?…}`). Cycle errors list the substitutions of the cycle with their lines.
 *
 * Substitution results are memoised per occurrence, as the spec requires, so every path sees one consistent value.
 * An undefined result is memoised only when nothing on its way looked back or met a cycle: otherwise it may only mean
 * that this occurrence was reached inside a cycle, and seen from elsewhere it can have a value (`a = ${?b}foo,
 * b = ${?a}` gives b = "foo", as in Lightbend). Memoising the plain ones keeps resolution linear: a chain of fields
 * that each use the one before twice would otherwise be resolved 2^n times.
 */
internal sealed class Resolver
{
    private readonly ObjectNode _root;
    private readonly Func<string, string?> _environment;
    private readonly Dictionary<Node, HoconValue?> _memo = new(ReferenceEqualityComparer.Instance);
    // Fields found through a substitution without resolving all of it (see TryLookThrough), by substitution and key.
    private readonly Dictionary<(Node Layer, string Key), (bool Found, HoconValue? Child)> _lookThroughMemo = [];
    // Counts look-backs and cycles met so far: an undefined result reached without one is the same from everywhere.
    private int _contextDependentEvents;
    // Each node being resolved, with the length of _chain when it started (where a cycle through it begins).
    private readonly Dictionary<Node, int> _inProgress = new(ReferenceEqualityComparer.Instance);
    private readonly List<Restriction> _restrictions = [];
    // The substitutions being resolved, outermost first: a cycle error names the ones that form the cycle.
    private readonly List<SubstitutionNode> _chain = [];
    private const int MaxDepth = 400;

    // Substitutions that repeat a value at every level double it each time ("billion laughs"): forty lines would ask
    // for terabytes. No real configuration comes near this many characters and values in one setting.
    internal const long MaxExpandedSize = 16 * 1024 * 1024;
    private int _depth;

    private Resolver(ObjectNode root, Func<string, string?> environment)
    {
        _root = root;
        _environment = environment;
    }

    private sealed record Restriction(HoconPath Path, Node Layer, int ChainStart);

    /// <summary>The layers found for a path; <see cref="CycleAt"/> is the outer restriction that emptied them, if one did.</summary>
    private readonly record struct Lookup(IReadOnlyList<Node> Layers, Restriction? CycleAt);

    /// <summary>Re-entry of an object, array or substitution still being resolved; the innermost substitution on the way reports it.</summary>
    private sealed class CycleDetected(int chainStart) : Exception("cycle of substitutions")
    {
        public int ChainStart { get; } = chainStart;
    }

    public static HoconObject Resolve(ObjectNode root, Func<string, string?> environment)
    {
        var resolver = new Resolver(root, environment);
        return (HoconObject?)resolver.ResolveStack(HoconPath.Root, [root]) ?? HoconObject.Empty;
    }

    /// <summary>Resolves a field's layers (earliest first) to its final value, or null when it is undefined.</summary>
    private HoconValue? ResolveStack(HoconPath? path, IReadOnlyList<Node> layers)
    {
        // Every recursion of the resolver (nested objects, substitution chains) passes through here. A stack overflow
        // cannot be caught in .NET, so a runaway chain must become an ordinary error well before the stack runs out.
        if (++_depth > MaxDepth)
        {
            throw new HoconResolveException(
                $"resolving this value goes more than {MaxDepth} levels deep through nested objects and substitutions",
                layers.Count > 0 ? layers[^1].Origin : null);
        }

        try
        {
            return WithinSizeLimit(ResolveStackUnguarded(path, layers), layers.Count > 0 ? layers[^1].Origin : null);
        }
        finally
        {
            _depth--;
        }
    }

    private HoconValue? ResolveStackUnguarded(HoconPath? path, IReadOnlyList<Node> layers)
    {
        var objects = new List<Node>();
        for (var i = layers.Count - 1; i >= 0; i--)
        {
            var layer = layers[i];
            if (layer is ObjectNode)
            {
                objects.Add(layer);
                continue;
            }

            // A literal array or simple value under an object is hidden by it without being looked at, so the
            // substitutions inside it are never evaluated (HOCON.md: a hidden substitution raises no error).
            if (objects.Count > 0 && (layer is ArrayNode || layer is ValueNode { Value: not HoconObject }))
            {
                break;
            }

            var value = ResolveLayer(path, layer);
            if (value is null)
            {
                continue;
            }

            if (value is HoconObject resolvedObject)
            {
                objects.Add(new ValueNode(value));
                if (resolvedObject.IgnoresFallbacks)
                {
                    // It already hid a non-object below it when it was merged; nothing further down can show through.
                    break;
                }

                continue;
            }

            if (objects.Count == 0)
            {
                return value;
            }

            // A non-object below an object is hidden by it: "the object is the new value".
            break;
        }

        return objects.Count == 0 ? null : MergeObjects(path, objects);
    }

    /// <summary>Merges object layers given top-first; each field's layers are gathered across all of them.</summary>
    private HoconObject MergeObjects(HoconPath? path, List<Node> objectsTopFirst)
    {
        if (objectsTopFirst.TrueForAll(layer => layer is ValueNode))
        {
            var merged = (HoconObject)((ValueNode)objectsTopFirst[0]).Value;
            for (var i = 1; i < objectsTopFirst.Count; i++)
            {
                merged = merged.WithFallback((HoconObject)((ValueNode)objectsTopFirst[i]).Value);
            }

            return merged;
        }

        var guard = objectsTopFirst.First(layer => layer is ObjectNode);
        Begin(guard);
        try
        {
            var keys = new List<string>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = objectsTopFirst.Count - 1; i >= 0; i--)
            {
                foreach (var key in KeysOf(objectsTopFirst[i]))
                {
                    if (seen.Add(key))
                    {
                        keys.Add(key);
                    }
                }
            }

            var fields = new List<KeyValuePair<string, HoconValue>>(keys.Count);
            foreach (var key in keys)
            {
                var childLayers = new List<Node>();
                for (var i = objectsTopFirst.Count - 1; i >= 0; i--)
                {
                    AddChildLayers(objectsTopFirst[i], key, childLayers);
                }

                var childPath = path?.Append(key);
                var value = ResolveStack(childPath, childPath is null ? childLayers : Restrict(childPath, childLayers, out _));
                if (value is not null)
                {
                    fields.Add(new(key, value));
                }
            }

            return new HoconObject(fields, objectsTopFirst[0].Origin);
        }
        finally
        {
            _inProgress.Remove(guard);
        }
    }

    private static IEnumerable<string> KeysOf(Node layer) => layer switch
    {
        ObjectNode node => node.Keys,
        ValueNode { Value: HoconObject resolved } => resolved.Keys,
        _ => [],
    };

    private static void AddChildLayers(Node layer, string key, List<Node> into)
    {
        if (layer is ObjectNode node)
        {
            into.AddRange(node.Layers(key));
        }
        else if (layer is ValueNode { Value: HoconObject resolved } && resolved.TryGetValue(key, out var child))
        {
            into.Add(new ValueNode(child));
        }
    }

    /// <summary>Resolves one layer that is not a literal object; pushes the self-reference restriction for it.</summary>
    private HoconValue? ResolveLayer(HoconPath? path, Node layer)
    {
        switch (layer)
        {
            case ValueNode value:
                return value.Value;
            case ObjectNode node:
                return MergeObjects(null, [node]);
            case ArrayNode array:
                return ResolveArray(array);
            case SubstitutionNode or ConcatenationNode:
                if (_memo.TryGetValue(layer, out var known))
                {
                    return known;
                }

                Begin(layer);
                var eventsBefore = _contextDependentEvents;
                var restricted = path is not null;
                if (restricted)
                {
                    _restrictions.Add(new Restriction(path!, layer, _chain.Count));
                }

                try
                {
                    var result = layer is SubstitutionNode substitution
                        ? ResolveSubstitution(substitution)
                        : ResolveConcatenation((ConcatenationNode)layer);
                    if (result is not null || _contextDependentEvents == eventsBefore)
                    {
                        _memo[layer] = result;
                    }

                    return result;
                }
                finally
                {
                    if (restricted)
                    {
                        _restrictions.RemoveAt(_restrictions.Count - 1);
                    }

                    _inProgress.Remove(layer);
                }

            default:
                throw new InvalidOperationException($"unexpected layer {layer.GetType().Name}");
        }
    }

    private void Begin(Node node)
    {
        if (!_inProgress.TryAdd(node, _chain.Count))
        {
            throw new CycleDetected(_inProgress[node]);
        }
    }

    private HoconArray ResolveArray(ArrayNode array)
    {
        Begin(array);
        try
        {
            var items = new List<HoconValue>(array.Elements.Count);
            foreach (var element in array.Elements)
            {
                // Array elements are never self-referential (`a = [${a}]` is a cycle), so no restriction applies.
                var value = ResolveLayer(null, element);
                if (value is not null)
                {
                    items.Add(value);
                }
            }

            return new HoconArray(items, array.Origin);
        }
        finally
        {
            _inProgress.Remove(array);
        }
    }

    private HoconValue? ResolveSubstitution(SubstitutionNode substitution)
    {
        _chain.Add(substitution);
        try
        {
            return ResolveSubstitutionInChain(substitution);
        }
        catch (CycleDetected cycle)
        {
            // This is the innermost substitution on the way back into a value still being resolved.
            _contextDependentEvents++;
            return substitution.Optional
                ? null
                : throw new HoconResolveException(
                    $"cycle of substitutions {Steps(cycle.ChainStart)} back into the object or array that contains it; an object or array cannot contain a reference to itself",
                    substitution.Origin);
        }
        finally
        {
            _chain.RemoveAt(_chain.Count - 1);
        }
    }

    private HoconValue? ResolveSubstitutionInChain(SubstitutionNode substitution)
    {
        Restriction? cycleAt = null;
        HoconValue? value = null;
        var rootMayAnswer = true;
        var prefixed = substitution.IncludePrefix.Append(substitution.Path);
        if (substitution.IncludePrefix.Length > 0)
        {
            RefuseObjectEnclosingFieldBeingResolved(prefixed);
            (value, cycleAt) = LookupPath(prefixed);

            // `l += 2` in a file included at foo asks for foo.l's own earlier value. When foo.l has none, the root's l
            // is another setting, not a fallback: as in Lightbend, the field starts empty (or, required, fails).
            rootMayAnswer = !_restrictions.Any(restriction => prefixed.StartsWith(restriction.Path));
        }

        if (value is null && cycleAt is null && rootMayAnswer)
        {
            RefuseObjectEnclosingFieldBeingResolved(substitution.Path);
            (value, cycleAt) = LookupPath(substitution.Path);
        }

        if (value is null && cycleAt is null)
        {
            var name = string.Join('.', substitution.Path.Segments);
            if (_environment(name) is { } environmentValue)
            {
                value = new HoconString(environmentValue, ConfigOrigin.Synthetic($"environment variable {name}"));
            }
        }

        if (value is not null || substitution.Optional)
        {
            return value;
        }

        if (!rootMayAnswer && cycleAt is null)
        {
            throw new HoconResolveException(
                $"substitution {substitution.Describe()} in an included file means '{prefixed}' here, the field's own earlier value, and it has none; the root's '{substitution.Path}' is a different setting (use ${{?…}} to start empty)",
                substitution.Origin);
        }

        throw cycleAt is not null
            ? new HoconResolveException(
                $"cycle of substitutions {Steps(cycleAt.ChainStart)} back to '{cycleAt.Path}', which is still being resolved and has no earlier value to fall back on",
                substitution.Origin)
            : new HoconResolveException($"could not resolve substitution {substitution.Describe()} to a value (no such setting and no environment variable of that name; use ${{?…}} if it is optional)", substitution.Origin);
    }

    /// <summary>
    /// <c>k.q = ${?k} […]</c>: the value of k.q asks for k, which contains k.q, so k would contain itself: a cycle
    /// (undefined for <c>${?…}</c>), whichever field the resolution started from. Looking k up anyway would hide
    /// the layer being resolved, as a self-reference does, and quietly give a k without its q; starting from k
    /// itself finds the cycle, so the answer would depend on the order of the fields.
    /// </summary>
    private void RefuseObjectEnclosingFieldBeingResolved(HoconPath path)
    {
        foreach (var restriction in _restrictions)
        {
            if (restriction.Path.Length > path.Length && restriction.Path.StartsWith(path))
            {
                throw new CycleDetected(restriction.ChainStart);
            }
        }
    }

    /// <summary>The substitutions of a cycle, from the one at <paramref name="start"/> of the chain to the innermost.</summary>
    private string Steps(int start) =>
        string.Join(" → ", _chain.Skip(start).Select(step => $"{step.Describe()} ({step.Origin})"));

    private (HoconValue? Value, Restriction? CycleAt) LookupPath(HoconPath path)
    {
        var lookup = FindLayers(path);
        return lookup.Layers.Count == 0 ? (null, lookup.CycleAt) : (ResolveStack(path, lookup.Layers), null);
    }

    /// <summary>Finds the layers of <paramref name="path"/>, resolving only what lies on the way (not whole objects).</summary>
    private Lookup FindLayers(HoconPath path)
    {
        var prefix = path.Take(1);
        var layers = Restrict(prefix, _root.Layers(path.First), out var cycleAt);
        for (var depth = 1; depth < path.Length && layers.Count > 0; depth++)
        {
            var key = path.Segments[depth];
            var children = new List<Node>();
            for (var i = layers.Count - 1; i >= 0; i--)
            {
                var layer = layers[i];
                if (layer is ObjectNode node)
                {
                    children.InsertRange(0, node.Layers(key));
                    continue;
                }

                if (layer is SubstitutionNode substitution && TryLookThrough(prefix, substitution, key, out var throughChild))
                {
                    if (throughChild is not null)
                    {
                        children.Insert(0, new ValueNode(throughChild));
                    }

                    continue;
                }

                var value = ResolveLayer(prefix, layer);
                if (value is null)
                {
                    continue;
                }

                if (value is not HoconObject resolved)
                {
                    break;
                }

                if (resolved.TryGetValue(key, out var child))
                {
                    children.Insert(0, new ValueNode(child));
                }
            }

            prefix = prefix.Append(key);
            layers = Restrict(prefix, children, out cycleAt);
        }

        return new Lookup(layers, cycleAt);
    }

    /// <summary>
    /// Finds <c>${target}.key</c> without resolving all of <c>${target}</c>, when the target is certainly an object
    /// (HOCON.md "Substitutions": only the field on the way is resolved, not the whole object). Resolving it whole
    /// would re-enter an object that is still being resolved whenever one of its own fields reaches a sibling through
    /// an alias (<c>defaults { a = ${alias.b}, b = 2 }, alias = ${defaults}</c>), and report a cycle that is not
    /// there. False when that cannot be decided this way; the caller then resolves the layer whole as before.
    /// </summary>
    private bool TryLookThrough(HoconPath fieldPath, SubstitutionNode substitution, string key, out HoconValue? child)
    {
        child = null;
        if (_memo.ContainsKey(substitution) || substitution.IncludePrefix.Length > 0 || _inProgress.ContainsKey(substitution)
            || (fieldPath.Length > substitution.Path.Length && fieldPath.StartsWith(substitution.Path)))
        {
            return false;
        }

        // Remembered like whole substitutions are: a field reached through several aliases per level would
        // otherwise be looked up once per path through them, exponentially many times.
        if (_lookThroughMemo.TryGetValue((substitution, key), out var known))
        {
            child = known.Child;
            return known.Found;
        }

        var eventsBefore = _contextDependentEvents;
        var (found, value) = LookThrough(fieldPath, substitution, key);
        if (_contextDependentEvents == eventsBefore)
        {
            _lookThroughMemo[(substitution, key)] = (found, value);
        }

        child = value;
        return found;
    }

    private (bool Found, HoconValue? Child) LookThrough(HoconPath fieldPath, SubstitutionNode substitution, string key)
    {
        // The same bookkeeping as resolving the layer whole: the field sees only its layers beneath this one.
        Begin(substitution);
        _restrictions.Add(new Restriction(fieldPath, substitution, _chain.Count));
        _chain.Add(substitution);
        try
        {
            var target = FindLayers(substitution.Path);
            if (target.Layers.Count == 0 || target.Layers[^1] is not (ObjectNode or ValueNode { Value: HoconObject }))
            {
                return (false, null);
            }

            var (value, cycleAt) = LookupPath(substitution.Path.Append(key));
            return cycleAt is null ? (true, value) : (false, null);
        }
        catch (CycleDetected)
        {
            _contextDependentEvents++;
            return (false, null);
        }
        finally
        {
            _chain.RemoveAt(_chain.Count - 1);
            _restrictions.RemoveAt(_restrictions.Count - 1);
            _inProgress.Remove(substitution);
        }
    }

    /// <summary>
    /// Hides, for every active restriction on <paramref name="path"/>, its layer and everything above it.
    /// <paramref name="cycleAt"/> is the outer restriction (not the innermost) that emptied the stack, if one did.
    /// </summary>
    private List<Node> Restrict(HoconPath path, IReadOnlyList<Node> layers, out Restriction? cycleAt)
    {
        var kept = layers.Count;
        Restriction? cutBy = null;
        for (var r = 0; r < _restrictions.Count; r++)
        {
            var restriction = _restrictions[r];
            if (!restriction.Path.Equals(path))
            {
                continue;
            }

            for (var i = 0; i < kept; i++)
            {
                if (ReferenceEquals(layers[i], restriction.Layer))
                {
                    kept = i;
                    cutBy = r == _restrictions.Count - 1 ? null : restriction;
                    break;
                }
            }
        }

        if (kept < layers.Count)
        {
            _contextDependentEvents++;
        }

        cycleAt = kept == 0 && layers.Count > 0 ? cutBy : null;
        return kept == layers.Count ? [.. layers] : [.. layers.Take(kept)];
    }

    private HoconValue? ResolveConcatenation(ConcatenationNode concatenation)
    {
        HoconValue? joined = null;
        var pendingWhitespace = "";
        foreach (var piece in concatenation.Pieces)
        {
            if (piece is WhitespaceNode whitespace)
            {
                pendingWhitespace += whitespace.Text;
                continue;
            }

            // An undefined ${?x} next to a string counts as "" (HOCON.md "Substitutions"), so the whitespace around
            // it is still between two simple values and stays: `foo ${?x}` is "foo ", as in Lightbend.
            var value = ResolveLayer(null, piece);
            if (value is null)
            {
                continue;
            }

            joined = joined is null
                ? (pendingWhitespace.Length > 0 && value.ConcatenationText is { } text ? new HoconString(pendingWhitespace + text, value.Origin) : value)
                : WithinSizeLimit(Join(joined, pendingWhitespace, value), concatenation.Origin);
            pendingWhitespace = "";
        }

        if (joined is null && pendingWhitespace.Length > 0)
        {
            // The parser keeps only whitespace that lies between two pieces, so `${?x} ${?y}` with both undefined is
            // two empty strings around a space: the string " " (HOCON.md: an undefined ${?…} concatenated with a
            // string becomes ""). Only `${?x}${?y}`, with nothing between them, leaves the field undefined.
            return new HoconString(pendingWhitespace, concatenation.Origin);
        }

        return pendingWhitespace.Length > 0 && joined?.ConcatenationText is { } joinedText
            ? new HoconString(joinedText + pendingWhitespace, joined.Origin)
            : joined;
    }

    private static HoconValue? WithinSizeLimit(HoconValue? value, ConfigOrigin? origin) =>
        value is null || value.ExpandedSize <= MaxExpandedSize
            ? value
            : throw new HoconResolveException(
                $"this value grows past {MaxExpandedSize:N0} characters and values once its substitutions are expanded (does each level repeat the one before?)",
                origin);

    private static HoconValue Join(HoconValue left, string whitespace, HoconValue right)
    {
        if (left.ConcatenationText is { } leftText && right.ConcatenationText is { } rightText)
        {
            return new HoconString(leftText + whitespace + rightText, left.Origin);
        }

        if (left is HoconObject leftObject && right is HoconObject rightObject)
        {
            return rightObject.WithFallback(leftObject);
        }

        var leftArray = left as HoconArray ?? NumericallyIndexed(left);
        var rightArray = right as HoconArray ?? NumericallyIndexed(right);
        if (leftArray is not null && rightArray is not null && (left is HoconArray || right is HoconArray))
        {
            return new HoconArray(leftArray.Concat(rightArray), left.Origin);
        }

        throw new HoconResolveException(
            $"cannot concatenate {Describe(left)} with {Describe(right)}; only strings with strings, arrays with arrays and objects with objects",
            right.Origin);
    }

    private static string Describe(HoconValue value) => $"{value.Type.ToString().ToLowerInvariant()} (from {value.Origin})";

    /// <summary>HOCON.md "Conversion of numerically-indexed objects to arrays": {"0":a,"1":b} is [a,b] where an array is expected.</summary>
    internal static HoconArray? NumericallyIndexed(HoconValue value)
    {
        if (value is not HoconObject { Count: > 0 } numbered)
        {
            return null;
        }

        var indexed = new List<(long Index, HoconValue Value)>();
        foreach (var (key, item) in numbered)
        {
            if (long.TryParse(key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index))
            {
                indexed.Add((index, item));
            }
        }

        return indexed.Count == 0 ? null : new HoconArray(indexed.OrderBy(entry => entry.Index).Select(entry => entry.Value), value.Origin);
    }
}
