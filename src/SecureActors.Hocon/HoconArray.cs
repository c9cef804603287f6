using System.Collections;

namespace SecureActors.Hocon;

/// <summary>An immutable array of resolved values.</summary>
public sealed class HoconArray : HoconValue, IReadOnlyList<HoconValue>
{
    private readonly HoconValue[] _items;

    private readonly long _expandedSize;

    internal HoconArray(IEnumerable<HoconValue> items, ConfigOrigin origin) : base(origin)
    {
        _items = [.. items];
        _expandedSize = 1;
        foreach (var item in _items)
        {
            _expandedSize = SaturatingAdd(_expandedSize, item.ExpandedSize);
        }
    }

    internal override long ExpandedSize => _expandedSize;

    /// <inheritdoc />
    public override HoconType Type => HoconType.Array;

    /// <inheritdoc />
    public int Count => _items.Length;

    /// <inheritdoc />
    public HoconValue this[int index] => _items[index];

    /// <inheritdoc />
    public IEnumerator<HoconValue> GetEnumerator() => ((IEnumerable<HoconValue>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
