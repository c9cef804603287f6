using System.Text;

namespace SecureActors.Actors.Routing;

/*
 * A hash ring. Each node is placed at `virtualNodesFactor` points, point i being
 * Murmur3(identity bytes, seed i); a key goes to the first point clockwise from Murmur3(key),
 * wrapping past the top. Adding or removing a node moves only the keys next to its points.
 */

/// <summary>An immutable consistent-hash ring of nodes.</summary>
internal sealed class ConsistentHash<T>
{
    private readonly uint[] _points;
    private readonly T[] _nodes;

    private ConsistentHash(uint[] points, T[] nodes)
    {
        _points = points;
        _nodes = nodes;
    }

    public static ConsistentHash<T> Create(IEnumerable<T> nodes, int virtualNodesFactor, Func<T, string> identity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(virtualNodesFactor);
        var ring = new SortedDictionary<uint, T>();
        foreach (var node in nodes)
        {
            var bytes = Encoding.UTF8.GetBytes(identity(node));
            for (uint i = 0; i < virtualNodesFactor; i++)
            {
                // On the rare collision the first node placed keeps the point.
                ring.TryAdd(MurmurHash.Hash32(bytes, i), node);
            }
        }

        return new ConsistentHash<T>([.. ring.Keys], [.. ring.Values]);
    }

    public bool IsEmpty => _points.Length == 0;

    public int PointCount => _points.Length;

    public T NodeFor(ReadOnlySpan<byte> key)
    {
        if (_points.Length == 0)
        {
            throw new InvalidOperationException("The ring has no nodes.");
        }

        var hash = MurmurHash.Hash32(key, 0);
        var index = Array.BinarySearch(_points, hash);
        if (index < 0)
        {
            index = ~index;
        }

        return _nodes[index == _points.Length ? 0 : index];
    }

    /// <summary>
    /// The bytes a key is hashed as: byte arrays as they are, strings as UTF-8, integers and GUIDs
    /// by value, anything else through its invariant ToString() (there is no serializer here).
    /// </summary>
    public static byte[] KeyBytes(object key) => key switch
    {
        byte[] bytes => bytes,
        string text => Encoding.UTF8.GetBytes(text),
        int number => BitConverter.GetBytes(number),
        long number => BitConverter.GetBytes(number),
        uint number => BitConverter.GetBytes(number),
        ulong number => BitConverter.GetBytes(number),
        short number => BitConverter.GetBytes(number),
        Guid guid => guid.ToByteArray(),
        IFormattable formattable => Encoding.UTF8.GetBytes(formattable.ToString(null, System.Globalization.CultureInfo.InvariantCulture)),
        _ => Encoding.UTF8.GetBytes(key.ToString() ?? ""),
    };
}
