using System.Security.Cryptography;

namespace SecureActors.Protocol.Crypto;

/// <summary>
/// The key-schedule state of one handshake (RFC 8446 §7.1 with "sap1 " labels):
/// <code>
///  early  = Extract(salt 0^H, ikm 0^H)
///  hs     = Extract(salt Derive-Secret(early, "derived", ""), ikm Z)
///  c_hs   = Derive-Secret(hs, "c hs traffic", prologue..ServerHello)      (s_hs likewise)
///  master = Extract(salt Derive-Secret(hs, "derived", ""), ikm 0^H)
///  c_ap_0 = Derive-Secret(master, "c ap traffic", prologue..ServerFinished) (s_ap_0 likewise)
///  exp    = Derive-Secret(master, "exp master", prologue..ServerFinished)
///  session_id = Expand-Label(exp, "session id", "", 16)
/// </code>
/// Every intermediate is zeroed as soon as the next stage exists. The early secret and the salt derived from it
/// depend only on the hash and are computed once per hash (<see cref="KeySchedule.HandshakeSalt"/>).
/// </summary>
internal sealed class HandshakeSecrets : IDisposable
{
    private readonly SuiteParameters _suite;
    private byte[]? _handshakeSecret;

    public HandshakeSecrets(SuiteParameters suite)
    {
        _suite = suite;
    }

    public SuiteParameters Suite => _suite;

    public byte[]? ClientHandshakeTraffic { get; private set; }

    public byte[]? ServerHandshakeTraffic { get; private set; }

    public byte[]? ClientApplicationTraffic { get; private set; }

    public byte[]? ServerApplicationTraffic { get; private set; }

    public byte[]? SessionId { get; private set; }

    /// <summary>hs = Extract(Derive-Secret(early, "derived", ""), Z); then c_hs and s_hs over TH(..ServerHello).</summary>
    public void DeriveHandshakeTraffic(ReadOnlySpan<byte> sharedSecret, ReadOnlySpan<byte> transcriptToServerHello)
    {
        var h = _suite.HashLength;
        _handshakeSecret = new byte[h];
        KeySchedule.Extract(_suite.Hash, KeySchedule.HandshakeSalt(_suite.Hash), sharedSecret, _handshakeSecret);
        ClientHandshakeTraffic = new byte[h];
        ServerHandshakeTraffic = new byte[h];
        KeySchedule.DeriveSecret(_suite.Hash, _handshakeSecret, "c hs traffic", transcriptToServerHello, ClientHandshakeTraffic);
        KeySchedule.DeriveSecret(_suite.Hash, _handshakeSecret, "s hs traffic", transcriptToServerHello, ServerHandshakeTraffic);
    }

    /// <summary>master, then c_ap_0, s_ap_0 and the session id over TH(..ServerFinished).</summary>
    public void DeriveApplicationTraffic(ReadOnlySpan<byte> transcriptToServerFinished)
    {
        if (_handshakeSecret is null)
        {
            throw new InvalidOperationException("handshake secret not derived yet");
        }

        var h = _suite.HashLength;
        Span<byte> zeros = stackalloc byte[h];
        zeros.Clear();
        Span<byte> salt = stackalloc byte[h];
        Span<byte> master = stackalloc byte[h];
        Span<byte> exporter = stackalloc byte[h];
        try
        {
            KeySchedule.DeriveSecretEmpty(_suite.Hash, _handshakeSecret, "derived", salt);
            KeySchedule.Extract(_suite.Hash, salt, zeros, master);
            ClientApplicationTraffic = new byte[h];
            ServerApplicationTraffic = new byte[h];
            KeySchedule.DeriveSecret(_suite.Hash, master, "c ap traffic", transcriptToServerFinished, ClientApplicationTraffic);
            KeySchedule.DeriveSecret(_suite.Hash, master, "s ap traffic", transcriptToServerFinished, ServerApplicationTraffic);
            KeySchedule.DeriveSecret(_suite.Hash, master, "exp master", transcriptToServerFinished, exporter);
            SessionId = new byte[16];
            KeySchedule.ExpandLabel(_suite.Hash, exporter, "session id", ReadOnlySpan<byte>.Empty, SessionId);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(salt);
            CryptographicOperations.ZeroMemory(master);
            CryptographicOperations.ZeroMemory(exporter);
            CryptographicOperations.ZeroMemory(_handshakeSecret);
            _handshakeSecret = null;
        }
    }

    /// <summary>Hands the application secrets to a channel; this object no longer owns (or zeroes) them.</summary>
    public (byte[] Client, byte[] Server) TakeApplicationSecrets()
    {
        var result = (ClientApplicationTraffic ?? throw new InvalidOperationException("no application secrets"),
            ServerApplicationTraffic ?? throw new InvalidOperationException("no application secrets"));
        ClientApplicationTraffic = null;
        ServerApplicationTraffic = null;
        return result;
    }

    public void Dispose()
    {
        Zero(_handshakeSecret);
        Zero(ClientHandshakeTraffic);
        Zero(ServerHandshakeTraffic);
        Zero(ClientApplicationTraffic);
        Zero(ServerApplicationTraffic);
        _handshakeSecret = null;
        ClientHandshakeTraffic = ServerHandshakeTraffic = ClientApplicationTraffic = ServerApplicationTraffic = null;
    }

    private static void Zero(byte[]? secret)
    {
        if (secret is not null)
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }
}
