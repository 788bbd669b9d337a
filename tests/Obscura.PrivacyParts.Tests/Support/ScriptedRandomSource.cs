using Obscura.Privacy.Randomness;

namespace Obscura.PrivacyParts.Tests.Support;

/// <summary>Returns a fixed list of 64-bit words, to drive exact-probability code down chosen paths.</summary>
internal sealed class ScriptedRandomSource(params ulong[] words) : IRandomSource
{
    private int _next;

    public bool IsCryptographicallySecure => false;

    public int Consumed => _next;

    public ulong NextUInt64() => words[_next++];

    public void NextBytes(Span<byte> destination) => throw new NotSupportedException();
}
