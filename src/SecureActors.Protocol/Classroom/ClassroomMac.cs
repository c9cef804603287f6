namespace SecureActors.Protocol.Classroom;

/// <summary>
/// The seed projects' "MAC": a 16-bit hash of the message, RSA-signed with the toy key. With only
/// 65,536 hash values, a second preimage takes a few thousand tries.
/// </summary>
public static class ClassroomMac
{
    /// <summary>The 16-bit hash: h = h·31 + byte (mod 2^16).</summary>
    public static int Hash16(ReadOnlySpan<byte> message)
    {
        var h = 0;
        foreach (var b in message)
        {
            h = ((h * 31) + b) & 0xFFFF;
        }

        return h;
    }

    /// <summary>Signs the hash (reduced mod n).</summary>
    public static int Compute(ClassroomRsa key, ReadOnlySpan<byte> message)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Sign(Hash16(message) % key.N);
    }

    /// <summary>Checks a tag.</summary>
    public static bool Verify(ClassroomRsa key, ReadOnlySpan<byte> message, int tag)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Verify(Hash16(message) % key.N, tag);
    }
}
