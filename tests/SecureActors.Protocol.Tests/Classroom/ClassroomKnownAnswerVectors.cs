using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using SecureActors.Protocol.Classroom;
using SecureActors.Protocol.Crypto;
using SecureActors.Protocol.Records;
using SecureActors.Protocol.Tests.Crypto;

namespace SecureActors.Protocol.Tests.Classroom;

/// <summary>
/// Computes the classroom known-answer vectors published in docs/PROTOCOL.md §13 from fixed
/// inputs: the S-box, one block through the block cipher step by step, and classroom records
/// sealed under a fixed traffic secret with their key material, RSA key, hash and MAC.
/// </summary>
internal static class ClassroomKnownAnswerVectors
{
    public const uint BlockKey = 0xDEADBEEF;

    /// <summary>The one-block input, ASCII "SAP1".</summary>
    public const uint BlockInput = 0x53415031;

    public static byte[] TrafficSecret() => KnownAnswerVectors.Fill(0x44, 32);

    /// <summary>The contents sealed (inner type 0x17): n = 6 needs pad 2, n = 4 needs a whole pad block.</summary>
    public static readonly string[] Contents = ["hello", "abc"];

    public static List<string> Compute()
    {
        var lines = new List<string>();
        void Add(string name, string value) => lines.Add($"{name} = {value}");
        static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);
        static string Word(uint value) => value.ToString("x8", CultureInfo.InvariantCulture);
        static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

        var box = ClassroomCipher.SubstitutionBox;
        for (var row = 0; row < 256; row += 32)
        {
            Add($"S-box[{row:x2}..{row + 31:x2}]", Hex(box.Slice(row, 32)));
        }

        // The intermediate steps are recomputed here from the §13 formula; the result is the
        // implementation's, so a disagreement shows up as a vector that does not add up.
        var xored = BlockInput ^ BlockKey;
        var substituted = SubstituteBytes(xored);
        var rotated = uint.RotateLeft(substituted, 3);
        Add("block b", Word(BlockInput));
        Add("block K", Word(BlockKey));
        Add("block b XOR K", Word(xored));
        Add("block S(b XOR K)", Word(substituted));
        Add("block rotl32(S(b XOR K), 3)", Word(rotated));
        Add("block c", Word(new ClassroomCipher(BlockKey).EncryptBlock(BlockInput)));

        var secret = TrafficSecret();
        var key = new byte[ClassroomRecordCipher.KeyMaterialLength];
        KeySchedule.ExpandLabel(HashAlgorithmName.SHA256, secret, "key", [], key);
        var rsa = ClassroomRsa.FromSeed(key[4], key[5]);
        Add("key material", Hex(key));
        Add("record K", Word(BinaryPrimitives.ReadUInt32BigEndian(key)));
        Add("p", Number(rsa.P));
        Add("q", Number(rsa.Q));
        Add("N", Number(rsa.N));
        Add("e", Number(rsa.E));
        Add("d", Number(rsa.D));

        using var sealer = RecordSealer.Create(CipherSuite.Classroom, secret, securityWarning: null);
        foreach (var text in Contents)
        {
            var content = System.Text.Encoding.ASCII.GetBytes(text);
            byte[] plaintext = [.. content, (byte)ContentType.ApplicationData];
            var hash = ClassroomMac.Hash16(plaintext);
            Add($"\"{text}\": P", Hex(plaintext));
            Add($"\"{text}\": pad", Number(4 - (plaintext.Length % 4)));
            Add($"\"{text}\": Hash16(P)", hash.ToString("x4", CultureInfo.InvariantCulture));
            Add($"\"{text}\": mac", Word((uint)ClassroomMac.Compute(rsa, plaintext)));
            var record = new byte[RecordSealer.RecordLength(content.Length)];
            for (var seq = 0; seq < 2; seq++)
            {
                sealer.Seal(content, ContentType.ApplicationData, record);
                Add($"\"{text}\": record seq {seq}", Hex(record));
            }
        }

        return lines;
    }

    /// <summary>S applied to each byte of a big-endian block, straight from the S-box table.</summary>
    public static uint SubstituteBytes(uint block)
    {
        var box = ClassroomCipher.SubstitutionBox;
        return ((uint)box[(int)(block >> 24)] << 24) | ((uint)box[(int)((block >> 16) & 0xFF)] << 16)
            | ((uint)box[(int)((block >> 8) & 0xFF)] << 8) | box[(int)(block & 0xFF)];
    }
}
