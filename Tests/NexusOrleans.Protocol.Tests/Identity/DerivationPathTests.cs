using NexusOrleans.Protocol.Identity;

namespace NexusOrleans.Protocol.Tests.Identity;

public sealed class DerivationPathTests
{
    [Fact]
    public void Parse_MixedPath_GivesIndicesWithHardenedOffset()
    {
        Assert.Equal(
            [44u | DerivationPath.HardenedOffset, 60u | DerivationPath.HardenedOffset, 0u | DerivationPath.HardenedOffset, 0u, 7u],
            DerivationPath.Parse("m/44'/60'/0'/0/7"));
    }

    [Fact]
    public void Parse_Root_GivesNoIndices()
    {
        Assert.Empty(DerivationPath.Parse("m"));
    }

    [Fact]
    public void Parse_LargestIndex_IsAccepted()
    {
        Assert.Equal([0xFFFF_FFFFu, 0x7FFF_FFFFu], DerivationPath.Parse("m/2147483647'/2147483647"));
    }

    [Theory]
    [InlineData("", "does not start with 'm'")]
    [InlineData("44'/0'", "does not start with 'm'")]
    [InlineData("M/0'", "does not start with 'm'")]
    [InlineData("m/", "Segment 1 of 'm/' is empty")]
    [InlineData("m/0'//1'", "Segment 2 of 'm/0'//1'' is empty")]
    [InlineData("m/0'/'", "Segment 2 of 'm/0'/'' is empty")]
    [InlineData("m/0'/x1", "('x1') is not a number")]
    [InlineData("m/-1", "('-1') is not a number")]
    [InlineData("m/ 1", "(' 1') is not a number")]
    [InlineData("m/1''", "('1''') is not a number")]
    [InlineData("m/2147483648'", "out of range")]
    [InlineData("m/99999999999", "out of range")]
    public void Parse_MalformedPath_ThrowsSayingWhatIsWrong(string path, string expected)
    {
        var error = Assert.Throws<FormatException>(() => DerivationPath.Parse(path));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DeeperThan255_Throws()
    {
        var path = "m" + string.Concat(Enumerable.Repeat("/0", 256));
        Assert.Contains("at most 255", Assert.Throws<FormatException>(() => DerivationPath.Parse(path)).Message, StringComparison.Ordinal);
    }
}
