namespace Obscura.Data;

/// <summary>Jpeg's entropy decoding: Huffman tables and the bit stream of a scan.</summary>
public static partial class Jpeg
{
    /// <summary>A Huffman table as T.81 Annex F.2.2.3 decodes it: per code length, the largest code and where its values start.</summary>
    private sealed class Huffman
    {
        private readonly int[] maxCode = new int[18];
        private readonly int[] valueOffset = new int[17];
        private readonly byte[] values;

        public Huffman(ReadOnlySpan<byte> counts, byte[] values, string name)
        {
            this.values = values;
            var code = 0;
            var k = 0;
            for (var length = 1; length <= 16; length++)
            {
                valueOffset[length] = k - code;
                code += counts[length - 1];
                k += counts[length - 1];
                maxCode[length] = counts[length - 1] > 0 ? code - 1 : -1;
                if (code > 1 << length)
                {
                    throw Invalid(name, "a Huffman table with more codes than its code lengths allow");
                }
                code <<= 1;
            }
            maxCode[17] = int.MaxValue;
        }

        public int Decode(ref BitReader bits)
        {
            var code = bits.Bit();
            for (var length = 1; length <= 16; length++)
            {
                if (code <= maxCode[length])
                {
                    var index = valueOffset[length] + code;
                    return index < values.Length ? values[index] : throw bits.Error("a Huffman code beyond its table");
                }
                code = (code << 1) | bits.Bit();
            }
            throw bits.Error("an invalid Huffman code");
        }
    }

    /// <summary>Entropy-coded bits, with 0xFF00 unstuffed; at a marker it supplies zeros (as T.81 decoders do).</summary>
    private ref struct BitReader(byte[] file, int at, string name)
    {
        private int buffer;
        private int count;

        public int At { get; private set; } = at;

        public int Bit()
        {
            if (count == 0)
            {
                buffer = NextByte();
                count = 8;
            }
            count--;
            return (buffer >> count) & 1;
        }

        public int Bits(int n)
        {
            var v = 0;
            for (var i = 0; i < n; i++)
            {
                v = (v << 1) | Bit();
            }
            return v;
        }

        /// <summary>Drops the bits left in the current byte (before a restart marker).</summary>
        public void Align() => count = 0;

        public readonly InvalidDataException Error(string problem) => Invalid(name, $"{problem} in the image data near byte {At}");

        private int NextByte()
        {
            if (At >= file.Length)
            {
                throw Error("the image data runs past the end of the file (truncated?)");
            }
            var b = file[At];
            if (b != 0xFF)
            {
                At++;
                return b;
            }
            if (At + 1 < file.Length && file[At + 1] == 0x00)
            {
                At += 2;
                return 0xFF;
            }
            return 0; // a marker: stay on it and pad with zeros
        }

        /// <summary>Expects and consumes a RSTn marker at the current position.</summary>
        public void Restart()
        {
            Align();
            while (At + 1 < file.Length && file[At] == 0xFF && file[At + 1] == 0xFF)
            {
                At++;
            }
            if (At + 1 >= file.Length || file[At] != 0xFF || file[At + 1] is < 0xD0 or > 0xD7)
            {
                throw Error("a missing restart marker");
            }
            At += 2;
        }
    }
}
