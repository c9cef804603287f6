using System.Security.Cryptography;

namespace SecureActors.Protocol.Handshake;

/// <summary>What a <see cref="CryptoOperation"/> does (for routing and metrics).</summary>
public enum CryptoOperationKind
{
    /// <summary>Generate ephemeral key-exchange key pairs.</summary>
    GenerateKeyShares,

    /// <summary>Validate the peer's share and compute the DH shared secret.</summary>
    DeriveSharedSecret,

    /// <summary>RSA-PSS sign the transcript with our identity key.</summary>
    Sign,

    /// <summary>Import the peer's key strictly and verify its RSA-PSS signature.</summary>
    Verify,

    /// <summary>Compute the DH shared secret, then RSA-PSS sign the transcript (the server's flight).</summary>
    DeriveAndSign,
}

/// <summary>
/// One expensive handshake step, handed out by a state machine and executed by whoever the caller
/// chooses: inline, or on a crypto worker on another thread. The operation owns copies of all its
/// inputs, so executing it never touches the state machine; feed the returned
/// <see cref="CryptoResult"/> back with <see cref="HandshakeMachine.Complete"/>. Executing twice, or
/// after the machine was disposed, yields a failed result rather than an exception.
/// </summary>
public abstract class CryptoOperation
{
    private const int Created = 0;
    private const int Running = 1;
    private const int Finished = 2;
    private const int Abandoned = 3;
    private int _state;

    private protected CryptoOperation()
    {
    }

    /// <summary>What this operation does.</summary>
    public abstract CryptoOperationKind Kind { get; }

    /// <summary>Runs the operation with the inputs it carries. Thread-safe with respect to the machine.</summary>
    public CryptoResult Execute() => Run(null);

    private protected CryptoResult Run(RSA? signer)
    {
        if (Interlocked.CompareExchange(ref _state, Running, Created) != Created)
        {
            return new CryptoResult(this, new ProtocolFailure(AlertDescription.InternalError, $"{Kind} operation already executed or abandoned"));
        }

        CryptoResult result;
        try
        {
            result = ExecuteCore(signer);
        }
        catch (CryptographicException ex)
        {
            // A platform crypto fault is local, not the peer's doing; the message names no secret.
            result = new CryptoResult(this, new ProtocolFailure(AlertDescription.InternalError, $"{Kind} failed: {ex.GetType().Name}"));
        }

        if (Interlocked.CompareExchange(ref _state, Finished, Running) == Abandoned)
        {
            // The machine went away while we ran: nobody will consume the result, so erase it now.
            result.Release();
            ReleaseInputs();
        }

        return result;
    }

    /// <summary>Called by the machine on dispose: erases inputs now, or lets a running executor do it.</summary>
    internal void Abandon()
    {
        var previous = Interlocked.Exchange(ref _state, Abandoned);
        if (previous == Created)
        {
            ReleaseInputs();
        }
    }

    private protected abstract CryptoResult ExecuteCore(RSA? signer);

    /// <summary>Erases inputs the operation owns (ephemeral private keys).</summary>
    private protected virtual void ReleaseInputs()
    {
    }
}

/// <summary>The outcome of a <see cref="CryptoOperation"/>, to be fed back into the machine that issued it.</summary>
public sealed class CryptoResult
{
    internal CryptoResult(CryptoOperation operation, ProtocolFailure failure)
    {
        Operation = operation;
        Failure = failure;
    }

    internal CryptoResult(CryptoOperation operation, object value)
    {
        Operation = operation;
        Value = value;
    }

    /// <summary>The operation this result belongs to.</summary>
    public CryptoOperation Operation { get; }

    /// <summary>Null on success; otherwise the alert the handshake will end with.</summary>
    public ProtocolFailure? Failure { get; }

    /// <summary>Whether the operation succeeded.</summary>
    public bool Succeeded => Failure is null;

    internal object? Value { get; private set; }

    /// <summary>Erases secret material in the value (used when a result is discarded).</summary>
    internal void Release()
    {
        switch (Value)
        {
            case byte[] secret:
                CryptographicOperations.ZeroMemory(secret);
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
            case IEnumerable<IDisposable> disposables:
                foreach (var d in disposables)
                {
                    d.Dispose();
                }

                break;
        }

        Value = null;
    }
}
