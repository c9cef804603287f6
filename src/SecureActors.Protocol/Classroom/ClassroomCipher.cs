namespace SecureActors.Protocol.Classroom;

/// <summary>
/// The seed projects' 4-byte block cipher, per block: XOR with the key, S-box substitution of each
/// byte, rotate the 32-bit block left by 3 bits, XOR with the key again. Blocks are independent
/// (ECB), the last block is padded with the pad length (1..4). Known plaintext reveals the key.
/// </summary>
public sealed class ClassroomCipher
{
    private static readonly byte[] SBox = BuildSBox();
    private static readonly byte[] InverseSBox = Invert(SBox);
    private readonly uint _key;

    /// <summary>Creates the cipher with a 32-bit key (e.g. derived from the 16-bit DH secret).</summary>
    public ClassroomCipher(uint key)
    {
        _key = key;
    }

    /// <summary>A key from the classroom DH shared secret, as the seeds did: the secret repeated.</summary>
    public static ClassroomCipher FromSharedSecret(int shared) => new(((uint)shared << 16) | (uint)shared);

    /// <summary>Encrypts with padding.</summary>
    public byte[] Encrypt(ReadOnlySpan<byte> plaintext)
    {
        var pad = 4 - (plaintext.Length % 4);
        var data = new byte[plaintext.Length + pad];
        plaintext.CopyTo(data);
        data.AsSpan(plaintext.Length).Fill((byte)pad);
        for (var i = 0; i < data.Length; i += 4)
        {
            WriteBlock(data, i, EncryptBlock(ReadBlock(data, i)));
        }

        return data;
    }

    /// <summary>Decrypts; returns null on bad padding (the seeds' padding oracle, kept for teaching).</summary>
    public byte[]? Decrypt(ReadOnlySpan<byte> ciphertext)
    {
        if (ciphertext.Length == 0 || ciphertext.Length % 4 != 0)
        {
            return null;
        }

        var data = ciphertext.ToArray();
        for (var i = 0; i < data.Length; i += 4)
        {
            WriteBlock(data, i, DecryptBlock(ReadBlock(data, i)));
        }

        var pad = data[^1];
        return pad is < 1 or > 4 ? null : data[..^pad];
    }

    /// <summary>One block (big-endian u32): c = rotl32(S(b XOR K), 3) XOR K.</summary>
    public uint EncryptBlock(uint block) => uint.RotateLeft(Substitute(block ^ _key, SBox), 3) ^ _key;

    /// <summary>The inverse of <see cref="EncryptBlock"/>: b = S⁻¹(rotr32(c XOR K, 3)) XOR K.</summary>
    public uint DecryptBlock(uint block) => Substitute(uint.RotateRight(block ^ _key, 3), InverseSBox) ^ _key;

    /// <summary>The S-box, for known-answer vectors.</summary>
    internal static ReadOnlySpan<byte> SubstitutionBox => SBox;

    private static uint ReadBlock(byte[] data, int offset) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(offset));

    private static void WriteBlock(byte[] data, int offset, uint block) => System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(offset), block);

    private static uint Substitute(uint block, byte[] box) =>
        ((uint)box[block >> 24] << 24) | ((uint)box[(block >> 16) & 0xFF] << 16) | ((uint)box[(block >> 8) & 0xFF] << 8) | box[block & 0xFF];

    private static byte[] BuildSBox()
    {
        // A fixed permutation from a fixed LCG (Fisher–Yates): deterministic, and no better than the seeds'.
        var box = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        uint state = 0x5EED;
        for (var i = 255; i > 0; i--)
        {
            state = (state * 1103515245) + 12345;
            var j = (int)((state >> 16) % (uint)(i + 1));
            (box[i], box[j]) = (box[j], box[i]);
        }

        return box;
    }

    private static byte[] Invert(byte[] box)
    {
        var inverse = new byte[256];
        for (var i = 0; i < 256; i++)
        {
            inverse[box[i]] = (byte)i;
        }

        return inverse;
    }
}
