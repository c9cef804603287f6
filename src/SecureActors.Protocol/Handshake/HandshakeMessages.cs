using SecureActors.Protocol.Crypto;

namespace SecureActors.Protocol.Handshake;

/// <summary>
/// The SAP/1 handshake messages and their exact byte layouts (PROTOCOL.md §5). Each message on the
/// wire is <c>type u8 ‖ len u16 ‖ body</c>; the layouts below are of the body. Lists are
/// <c>u8 count ‖ items</c>; vectors are <c>u16 len ‖ bytes</c>. Decoders reject trailing bytes.
/// </summary>
internal static class HandshakeMessages
{
    internal sealed record KeyShare(ushort Group, byte[] Share);

    /// <summary>
    /// <code>
    /// random[32] ‖ versions: u8 n ‖ u16×n ‖ suites: u8 n ‖ u16×n ‖ groups: u8 n ‖ u16×n
    /// ‖ key_shares: u8 n (0..2) ‖ n × (group u16 ‖ share vector16)
    /// ‖ sig_schemes: u8 n ‖ u16×n ‖ extensions: u8 n (0..32) ‖ n × (type u16 ‖ data vector16)
    /// </code>
    /// </summary>
    internal sealed record ClientHello(
        byte[] Random,
        ushort[] Versions,
        ushort[] Suites,
        ushort[] Groups,
        KeyShare[] KeyShares,
        ushort[] SignatureSchemes,
        List<(ushort Type, byte[] Data)> Extensions)
    {
        public byte[] Encode()
        {
            var w = new WireWriter()
                .Bytes(Random)
                .U16List(Versions)
                .U16List(Suites)
                .U16List(Groups)
                .U8(checked((byte)KeyShares.Length));
            foreach (var share in KeyShares)
            {
                w.U16(share.Group).Vector16(share.Share);
            }

            return w.U16List(SignatureSchemes).Extensions(Extensions).ToMessage(HandshakeType.ClientHello);
        }

        public static ClientHello Decode(ReadOnlySpan<byte> body)
        {
            var r = new WireReader(body);
            var random = r.ReadBytes(HandshakeLimits.RandomLength).ToArray();
            var versions = r.ReadU16List(HandshakeLimits.MaxVersions, "versions");
            var suites = r.ReadU16List(HandshakeLimits.MaxSuites, "cipher suites");
            var groups = r.ReadU16List(HandshakeLimits.MaxGroups, "groups");
            var shareCount = r.ReadU8();
            if (shareCount > HandshakeLimits.MaxKeyShares)
            {
                // Checked before touching any share: 100 shares cost no crypto (brief row 16).
                throw new ProtocolViolationException(AlertDescription.DecodeError, $"{shareCount} key shares (max {HandshakeLimits.MaxKeyShares})");
            }

            var shares = new KeyShare[shareCount];
            for (var i = 0; i < shareCount; i++)
            {
                shares[i] = new KeyShare(r.ReadU16(), r.ReadVector16().ToArray());
            }

            var schemes = r.ReadU16List(HandshakeLimits.MaxSignatureSchemes, "signature schemes");
            var extensions = r.ReadExtensions();
            r.EnsureEnd("ClientHello");

            if (shares.Select(s => s.Group).Distinct().Count() != shares.Length)
            {
                throw new ProtocolViolationException(AlertDescription.IllegalParameter, "duplicate key share group");
            }

            if (shares.Any(s => !groups.Contains(s.Group)))
            {
                throw new ProtocolViolationException(AlertDescription.IllegalParameter, "key share for a group not in groups[]");
            }

            return new ClientHello(random, versions, suites, groups, shares, schemes, extensions);
        }

        public byte[]? Extension(ExtensionType type) =>
            Extensions.FirstOrDefault(e => e.Type == (ushort)type).Data;
    }

    /// <summary><c>random[32] ‖ version u16 ‖ suite u16 ‖ group u16 ‖ share vector16</c>.</summary>
    internal sealed record ServerHello(byte[] Random, ushort Version, ushort Suite, ushort Group, byte[] Share)
    {
        public byte[] Encode() => new WireWriter()
            .Bytes(Random).U16(Version).U16(Suite).U16(Group).Vector16(Share)
            .ToMessage(HandshakeType.ServerHello);

        public static ServerHello Decode(ReadOnlySpan<byte> body)
        {
            var r = new WireReader(body);
            var hello = new ServerHello(r.ReadBytes(HandshakeLimits.RandomLength).ToArray(), r.ReadU16(), r.ReadU16(), r.ReadU16(), r.ReadVector16().ToArray());
            r.EnsureEnd("ServerHello");
            return hello;
        }
    }

    /// <summary><c>version u16 ‖ suite u16 ‖ group u16</c>: "send me a share for this group".</summary>
    internal sealed record HelloRetryRequest(ushort Version, ushort Suite, ushort Group)
    {
        public byte[] Encode() => new WireWriter().U16(Version).U16(Suite).U16(Group).ToMessage(HandshakeType.HelloRetryRequest);

        public static HelloRetryRequest Decode(ReadOnlySpan<byte> body)
        {
            var r = new WireReader(body);
            var hrr = new HelloRetryRequest(r.ReadU16(), r.ReadU16(), r.ReadU16());
            r.EnsureEnd("HelloRetryRequest");
            return hrr;
        }
    }

    /// <summary>
    /// <c>client_auth u8 (0..2) ‖ max_message_size u32 ‖ message_signatures u8 (0|1)
    /// ‖ client sig_schemes: u8 n ‖ u16×n ‖ extensions</c>.
    /// </summary>
    internal sealed record ServerParams(ClientAuthPolicy ClientAuth, uint MaxMessageSize, bool MessageSignatures, ushort[] SignatureSchemes, bool MessageBatching = false)
    {
        public byte[] Encode() => new WireWriter()
            .U8((byte)ClientAuth).U32(MaxMessageSize).U8(MessageSignatures ? (byte)1 : (byte)0)
            .U16List(SignatureSchemes).Extensions(MessageBatching ? [((ushort)ExtensionType.MessageBatching, [])] : [])
            .ToMessage(HandshakeType.ServerParams);

        public static ServerParams Decode(ReadOnlySpan<byte> body)
        {
            var r = new WireReader(body);
            var auth = r.ReadU8();
            var max = r.ReadU32();
            var signatures = r.ReadU8();
            var schemes = r.ReadU16List(HandshakeLimits.MaxSignatureSchemes, "signature schemes");
            var extensions = r.ReadExtensions();
            r.EnsureEnd("ServerParams");
            if (auth > 2 || signatures > 1 || max == 0)
            {
                throw new ProtocolViolationException(AlertDescription.IllegalParameter, "ServerParams field out of range");
            }

            var batching = extensions.FindIndex(e => e.Type == (ushort)ExtensionType.MessageBatching);
            if (batching >= 0 && extensions[batching].Data.Length != 0)
            {
                throw new ProtocolViolationException(AlertDescription.DecodeError, "message_batching extension is not empty");
            }

            return new ServerParams((ClientAuthPolicy)auth, max, signatures == 1, schemes, batching >= 0);
        }
    }

    /// <summary><c>spki vector16</c> (DER SubjectPublicKeyInfo; empty = anonymous client).</summary>
    internal sealed record IdentityMessage(byte[] Spki)
    {
        public byte[] Encode() => new WireWriter().Vector16(Spki).ToMessage(HandshakeType.Identity);

        public static IdentityMessage Decode(ReadOnlySpan<byte> body)
        {
            var r = new WireReader(body);
            var identity = new IdentityMessage(r.ReadVector16().ToArray());
            r.EnsureEnd("Identity");
            return identity;
        }
    }

    /// <summary><c>scheme u16 ‖ signature vector16</c>.</summary>
    internal sealed record SignatureMessage(ushort Scheme, byte[] Value)
    {
        public byte[] Encode() => new WireWriter().U16(Scheme).Vector16(Value).ToMessage(HandshakeType.Signature);

        public static SignatureMessage Decode(ReadOnlySpan<byte> body)
        {
            var r = new WireReader(body);
            var signature = new SignatureMessage(r.ReadU16(), r.ReadVector16().ToArray());
            r.EnsureEnd("Signature");
            return signature;
        }
    }

    /// <summary><c>verify_data[H]</c> (any other length is decrypt_error: one uniform Finished failure).</summary>
    internal static byte[] EncodeFinished(ReadOnlySpan<byte> verifyData) => new WireWriter().Bytes(verifyData).ToMessage(HandshakeType.Finished);

    /// <summary><c>request_update u8 (0|1)</c>.</summary>
    internal static byte[] EncodeKeyUpdate(bool requestUpdate) =>
        new WireWriter().U8(requestUpdate ? (byte)1 : (byte)0).ToMessage(HandshakeType.KeyUpdate);

    internal static bool IsKnownSuite(ushort value) =>
        SuiteParameters.IsAead((CipherSuite)value) || value == (ushort)CipherSuite.Classroom;
}
