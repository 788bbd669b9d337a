using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Obscura.Privacy.Randomness;

/// <summary>
/// Random bits from the operating system's cryptographically secure generator
/// (<see cref="RandomNumberGenerator"/>), fetched in large chunks so that the per-call cost of the
/// system generator is paid once per <see cref="BufferBytes"/> bytes rather than once per draw.
/// </summary>
/// <remarks>
/// Not thread-safe: each thread uses its own instance. Instances are independent because every
/// chunk comes straight from the system generator; nothing is seeded or derived locally.
/// </remarks>
public sealed class CryptoRandomSource : IRandomSource
{
    /// <summary>Size of the internal buffer refilled from the system generator.</summary>
    public const int BufferBytes = 64 * 1024;

    private readonly ulong[] _buffer = new ulong[BufferBytes / sizeof(ulong)];
    private int _next;

    /// <summary>Creates a source; the first chunk is fetched lazily on the first draw.</summary>
    public CryptoRandomSource()
    {
        _next = _buffer.Length;
    }

    /// <inheritdoc/>
    public bool IsCryptographicallySecure => true;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ulong NextUInt64()
    {
        if (_next == _buffer.Length)
        {
            Refill();
        }
        ulong value = _buffer[_next];
        // Wipe consumed bits so a later memory disclosure cannot reveal noise already used.
        _buffer[_next++] = 0;
        return value;
    }

    /// <inheritdoc/>
    public void NextBytes(Span<byte> destination) => RandomNumberGenerator.Fill(destination);

    private void Refill()
    {
        RandomNumberGenerator.Fill(MemoryMarshal.AsBytes(_buffer.AsSpan()));
        _next = 0;
    }
}
