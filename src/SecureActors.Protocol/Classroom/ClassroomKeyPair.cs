using System.Buffers.Binary;
using SecureActors.Protocol.Crypto;

namespace SecureActors.Protocol.Classroom;

/// <summary>
/// INSECURE, teaching only: the classroom "group" (<see cref="NamedGroup.Classroom"/>), the seed
/// projects' 16-bit Diffie-Hellman behind the same <see cref="EphemeralKeyPair"/> shape as the real
/// groups, so the classroom suite runs through the ordinary handshake machines.
/// <code>
/// share = y u16            G^x mod P, 1 ≤ y ≤ P−1 (the seeds checked nothing more)
/// Z     = u16 (y_peer^x mod P)
/// </code>
/// A passive observer recovers x from y in 65,520 multiplications, hence Z and every key.
/// </summary>
internal sealed class ClassroomKeyPair : EphemeralKeyPair
{
    public const int ShareLength = 2;

    private int _secret;
    private readonly byte[] _share = new byte[ShareLength];

    private ClassroomKeyPair(int secret)
    {
        _secret = secret;
        BinaryPrimitives.WriteUInt16BigEndian(_share, (ushort)ClassroomDh.PublicValue(secret));
    }

    public override NamedGroup Group => NamedGroup.Classroom;

    public override ReadOnlyMemory<byte> PublicShare => _share;

    public static ClassroomKeyPair Create() => new(ClassroomDh.GenerateSecret());

    /// <summary>A pair from a known secret (tests only).</summary>
    internal static ClassroomKeyPair FromSecret(int secret) => new(secret);

    public static ProtocolFailure? CheckShape(ReadOnlySpan<byte> share)
    {
        if (share.Length != ShareLength)
        {
            return new ProtocolFailure(AlertDescription.IllegalParameter, $"classroom share has {share.Length} bytes, expected {ShareLength}");
        }

        var y = BinaryPrimitives.ReadUInt16BigEndian(share);
        return y is 0 or >= ClassroomDh.P
            ? new ProtocolFailure(AlertDescription.IllegalParameter, "classroom share outside [1, P-1]")
            : null;
    }

    internal override byte[]? DeriveSharedSecret(ReadOnlySpan<byte> peerShare, out ProtocolFailure? failure)
    {
        failure = CheckShape(peerShare);
        if (failure is not null)
        {
            return null;
        }

        var z = new byte[ShareLength];
        BinaryPrimitives.WriteUInt16BigEndian(z, (ushort)ClassroomDh.SharedSecret(BinaryPrimitives.ReadUInt16BigEndian(peerShare), _secret));
        return z;
    }

    protected override void Dispose(bool disposing) => _secret = 0;
}
