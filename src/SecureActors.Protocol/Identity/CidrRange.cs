using System.Net;
using System.Net.Sockets;

namespace SecureActors.Protocol.Identity;

/// <summary>An IPv4 or IPv6 network in CIDR notation (a bare address means a single host).</summary>
public sealed class CidrRange
{
    private readonly byte[] _network;
    private readonly int _prefix;

    private CidrRange(byte[] network, int prefix, AddressFamily family)
    {
        _network = network;
        _prefix = prefix;
        Family = family;
    }

    /// <summary>The address family.</summary>
    public AddressFamily Family { get; }

    /// <summary>Parses <c>10.0.0.0/8</c>, <c>::1</c>, <c>2001:db8::/32</c>; null if invalid.</summary>
    public static CidrRange? TryParse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        if (!IPAddress.TryParse(addressText, out var address))
        {
            return null;
        }

        var bytes = address.GetAddressBytes();
        var prefix = bytes.Length * 8;
        if (slash >= 0 && (!int.TryParse(text.AsSpan(slash + 1), System.Globalization.NumberStyles.None, null, out prefix) || prefix > bytes.Length * 8))
        {
            return null;
        }

        return new CidrRange(Mask(bytes, prefix), prefix, address.AddressFamily);
    }

    /// <summary>Whether <paramref name="address"/> lies in this range (IPv4-mapped IPv6 addresses count as IPv4).</summary>
    public bool Contains(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != Family)
        {
            return false;
        }

        return Mask(address.GetAddressBytes(), _prefix).AsSpan().SequenceEqual(_network);
    }

    /// <inheritdoc />
    public override string ToString() => $"{new IPAddress(_network)}/{_prefix}";

    private static byte[] Mask(byte[] bytes, int prefix)
    {
        var masked = (byte[])bytes.Clone();
        for (var i = 0; i < masked.Length; i++)
        {
            var bits = Math.Clamp(prefix - (i * 8), 0, 8);
            masked[i] &= (byte)(0xFF << (8 - bits));
        }

        return masked;
    }
}
