using System.Text;
using StreamingFeatures.Keys;

namespace StreamingFeatures.Tests.Keys;

/// <summary>
/// FarmHash Fingerprint64 against published values, one or more per length path (0–16, 17–32, 33–64, over 64 bytes).
/// Sources: dgryski/go-farm <c>farmhash_test.go</c> (its <c>oh64na</c> column is <c>Fingerprint64</c>, generated from
/// the C++ farmhash); the BigQuery documentation of FARM_FINGERPRINT (hash functions page: the three
/// <c>CONCAT(CAST(x AS STRING), y, CAST(z AS STRING))</c> rows); the Amazon Redshift documentation of
/// farmFingerprint64 ('Amazon Redshift'); and a BigQuery/Guava/pyfarmhash comparison for 'alphabet'
/// (gist pcejrowski/6abcb9813f3125b63da1f8ddda986bde).
/// </summary>
[TestClass]
public sealed class FarmFingerprintTests
{
    [TestMethod]
    [DataRow("", 0x9ae16a3b2f90404fUL)]
    [DataRow("a", 0xb3454265b6df75e3UL)]
    [DataRow("abc", 0x24a5b3a074e7f369UL)]
    [DataRow("abcd", 0x1a5502de4a1f8101UL)]
    [DataRow("abcdefg", 0x3c40c92b1ccb7355UL)]
    [DataRow("abcdefgh", 0xfee9d22990c82909UL)]
    [DataRow("0123456789'01234", 0x4283d4ef43627f64UL)]
    [DataRow("0123456789=012345", 0x46a7416ed4861e3bUL)]
    [DataRow("0123456789%0123456789£", 0x4dbd128af51d77e8UL)]
    [DataRow("C is as portable as Stonehedge!!", 0xb944f8a16261e414UL)]
    [DataRow("Discard medicine more than two years old.", 0xe8f89ab6df9bdd25UL)]
    [DataRow("The days of the digital watch are numbered.  -Tom Stoppard", 0x2a578b80bb82147cUL)]
    [DataRow("For every action there is an equal and opposite government program.", 0x55182f8859eca4ceUL)]
    [DataRow("The fugacity of a constituent in a mixture of gases at a given temperature is proportional to its mole fraction.  Lewis-Randall Rule", 0x098eff6958c5e91aUL)]
    public void Fingerprint64_GoFarmVector_MatchesPublishedValue(string input, ulong expected)
    {
        Assert.AreEqual((long)expected, FarmFingerprint.Fingerprint64(Encoding.UTF8.GetBytes(input)), $"length {Encoding.UTF8.GetByteCount(input)}");
    }

    [TestMethod]
    [DataRow("1footrue", -1541654101129638711L)]
    [DataRow("2applefalse", 2794438866806483259L)]
    [DataRow("3true", -4880158226897771312L)]
    [DataRow("alphabet", -2427165924636348523L)]
    [DataRow("Amazon Redshift", 8085098817162212970L)]
    public void Fingerprint64_SqlDocumentationExample_MatchesSignedInt64(string input, long expected)
    {
        Assert.AreEqual(expected, FarmFingerprint.Fingerprint64(Encoding.UTF8.GetBytes(input)));
    }

    [TestMethod]
    public void Fingerprint64_LongInput_MatchesPublishedValueOverSeveral64ByteBlocks()
    {
        const string LoremIpsum = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. Duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur. Excepteur sint occaecat cupidatat non proident, sunt in culpa qui officia deserunt mollit anim id est laborum.";

        Assert.AreEqual(unchecked((long)0xc3f02c4ffd5d71e6UL), FarmFingerprint.Fingerprint64(Encoding.UTF8.GetBytes(LoremIpsum)));
    }

    [TestMethod]
    public void Fingerprint64_SliceOfLargerBuffer_DependsOnlyOnTheSlice()
    {
        byte[] padded = Encoding.UTF8.GetBytes("xxabcdefghyy");

        Assert.AreEqual(unchecked((long)0xfee9d22990c82909UL), FarmFingerprint.Fingerprint64(padded.AsSpan(2, 8)));
    }
}
