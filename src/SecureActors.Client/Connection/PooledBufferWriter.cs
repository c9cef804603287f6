using System.Buffers;

namespace SecureActors.Client.Connection;

/// <summary>
/// A growable <see cref="IBufferWriter{T}"/> over pooled arrays for the send path, so steady-state
/// sealing allocates nothing. The array goes back to the pool after every batch: an idle session
/// then holds no write buffer, which is what lets one process keep 10,000 sessions open. Only
/// ciphertext passes through it, so it is not cleared on return.
/// </summary>
internal sealed class PooledBufferWriter : IBufferWriter<byte>, IDisposable
{
    private const int MinimumRent = 4096;
    private byte[] _buffer = [];
    private int _written;

    public int WrittenCount => _written;

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (_written + count > _buffer.Length)
        {
            throw new InvalidOperationException("advanced past the end of the buffer");
        }

        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    /// <summary>Forgets the written bytes and returns the array to the pool.</summary>
    public void Reset()
    {
        _written = 0;
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    public void Dispose() => Reset();

    private void Ensure(int sizeHint)
    {
        var needed = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written >= needed)
        {
            return;
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(MinimumRent, Math.Max(_buffer.Length * 2, _written + needed)));
        _buffer.AsSpan(0, _written).CopyTo(larger);
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = larger;
    }
}
