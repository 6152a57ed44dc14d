using System.Buffers.Binary;
using System.Numerics;

namespace StreamingFeatures.Keys;

/// <summary>
/// FarmHash Fingerprint64 (<c>farmhashna::Hash64</c>, which <c>util::Fingerprint64</c> calls), the function behind
/// BigQuery's <c>FARM_FINGERPRINT</c>: the same bytes give the same value on every platform and forever, so a shard
/// chosen from it in a row restriction can be recomputed here. Returned as the signed INT64 BigQuery shows.
/// </summary>
public static class FarmFingerprint
{
    private const ulong K0 = 0xc3a5c85c97cb3127UL;
    private const ulong K1 = 0xb492b66fbe98f273UL;
    private const ulong K2 = 0x9ae16a3b2f90404fUL;

    /// <summary>The fingerprint of <paramref name="data"/> (for a STRING, its UTF-8 bytes).</summary>
    public static long Fingerprint64(ReadOnlySpan<byte> data) => (long)Hash64(data);

    private static ulong Hash64(ReadOnlySpan<byte> s)
    {
        int len = s.Length;
        if (len <= 32)
        {
            return len <= 16 ? HashLen0To16(s) : HashLen17To32(s);
        }

        return len <= 64 ? HashLen33To64(s) : HashLongerThan64(s);
    }

    private static ulong HashLongerThan64(ReadOnlySpan<byte> s)
    {
        const ulong Seed = 81;
        int len = s.Length;

        // Unsigned arithmetic wraps, as in the C++ original; the build checks no overflow here.
        ulong x = Seed;
        ulong y = unchecked((Seed * K1) + 113);
        ulong z = unchecked(ShiftMix((y * K2) + 113) * K2);
        (ulong First, ulong Second) v = (0, 0);
        (ulong First, ulong Second) w = (0, 0);
        x = unchecked((x * K2) + Fetch64(s, 0));

        int end = (len - 1) / 64 * 64;
        int last64 = end + ((len - 1) & 63) - 63;
        int at = 0;
        unchecked
        {
            do
            {
                x = Rotate(x + y + v.First + Fetch64(s, at + 8), 37) * K1;
                y = Rotate(y + v.Second + Fetch64(s, at + 48), 42) * K1;
                x ^= w.Second;
                y += v.First + Fetch64(s, at + 40);
                z = Rotate(z + w.First, 33) * K1;
                v = WeakHashLen32WithSeeds(s, at, v.Second * K1, x + w.First);
                w = WeakHashLen32WithSeeds(s, at + 32, z + w.Second, y + Fetch64(s, at + 16));
                (z, x) = (x, z);
                at += 64;
            }
            while (at != end);

            ulong mul = K1 + ((z & 0xff) << 1);
            at = last64;
            w.First += (ulong)((len - 1) & 63);
            v.First += w.First;
            w.First += v.First;
            x = Rotate(x + y + v.First + Fetch64(s, at + 8), 37) * mul;
            y = Rotate(y + v.Second + Fetch64(s, at + 48), 42) * mul;
            x ^= w.Second * 9;
            y += (v.First * 9) + Fetch64(s, at + 40);
            z = Rotate(z + w.First, 33) * mul;
            v = WeakHashLen32WithSeeds(s, at, v.Second * mul, x + w.First);
            w = WeakHashLen32WithSeeds(s, at + 32, z + w.Second, y + Fetch64(s, at + 16));
            (z, x) = (x, z);
            return HashLen16(HashLen16(v.First, w.First, mul) + (ShiftMix(y) * K0) + z, HashLen16(v.Second, w.Second, mul) + x, mul);
        }
    }

    private static ulong HashLen0To16(ReadOnlySpan<byte> s)
    {
        int len = s.Length;
        unchecked
        {
            if (len >= 8)
            {
                ulong mul = K2 + ((ulong)len * 2);
                ulong a = Fetch64(s, 0) + K2;
                ulong b = Fetch64(s, len - 8);
                ulong c = (Rotate(b, 37) * mul) + a;
                ulong d = (Rotate(a, 25) + b) * mul;
                return HashLen16(c, d, mul);
            }

            if (len >= 4)
            {
                ulong mul = K2 + ((ulong)len * 2);
                ulong a = Fetch32(s, 0);
                return HashLen16((ulong)len + (a << 3), Fetch32(s, len - 4), mul);
            }

            if (len > 0)
            {
                uint a = s[0];
                uint b = s[len >> 1];
                uint c = s[len - 1];
                uint y = a + (b << 8);
                uint z = (uint)len + (c << 2);
                return ShiftMix((y * K2) ^ (z * K0)) * K2;
            }

            return K2;
        }
    }

    private static ulong HashLen17To32(ReadOnlySpan<byte> s)
    {
        int len = s.Length;
        unchecked
        {
            ulong mul = K2 + ((ulong)len * 2);
            ulong a = Fetch64(s, 0) * K1;
            ulong b = Fetch64(s, 8);
            ulong c = Fetch64(s, len - 8) * mul;
            ulong d = Fetch64(s, len - 16) * K2;
            return HashLen16(Rotate(a + b, 43) + Rotate(c, 30) + d, a + Rotate(b + K2, 18) + c, mul);
        }
    }

    private static ulong HashLen33To64(ReadOnlySpan<byte> s)
    {
        int len = s.Length;
        unchecked
        {
            ulong mul = K2 + ((ulong)len * 2);
            ulong a = Fetch64(s, 0) * K2;
            ulong b = Fetch64(s, 8);
            ulong c = Fetch64(s, len - 8) * mul;
            ulong d = Fetch64(s, len - 16) * K2;
            ulong y = Rotate(a + b, 43) + Rotate(c, 30) + d;
            ulong z = HashLen16(y, a + Rotate(b + K2, 18) + c, mul);
            ulong e = Fetch64(s, 16) * mul;
            ulong f = Fetch64(s, 24);
            ulong g = (y + Fetch64(s, len - 32)) * mul;
            ulong h = (z + Fetch64(s, len - 24)) * mul;
            return HashLen16(Rotate(e + f, 43) + Rotate(g, 30) + h, e + Rotate(f + a, 18) + g, mul);
        }
    }

    private static (ulong First, ulong Second) WeakHashLen32WithSeeds(ReadOnlySpan<byte> s, int at, ulong a, ulong b)
    {
        ulong w = Fetch64(s, at);
        ulong x = Fetch64(s, at + 8);
        ulong y = Fetch64(s, at + 16);
        ulong z = Fetch64(s, at + 24);
        unchecked
        {
            a += w;
            b = Rotate(b + a + z, 21);
            ulong c = a;
            a += x;
            a += y;
            b += Rotate(a, 44);
            return (a + z, b + c);
        }
    }

    private static ulong HashLen16(ulong u, ulong v, ulong mul)
    {
        unchecked
        {
            ulong a = (u ^ v) * mul;
            a ^= a >> 47;
            ulong b = (v ^ a) * mul;
            b ^= b >> 47;
            return b * mul;
        }
    }

    private static ulong ShiftMix(ulong value) => value ^ (value >> 47);

    private static ulong Rotate(ulong value, int shift) => BitOperations.RotateRight(value, shift);

    private static ulong Fetch64(ReadOnlySpan<byte> s, int at) => BinaryPrimitives.ReadUInt64LittleEndian(s[at..]);

    private static uint Fetch32(ReadOnlySpan<byte> s, int at) => BinaryPrimitives.ReadUInt32LittleEndian(s[at..]);
}
