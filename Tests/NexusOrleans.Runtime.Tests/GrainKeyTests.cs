using NexusOrleans.Runtime.Tests.Grains;

namespace NexusOrleans.Runtime.Tests;

public sealed class GrainKeyTests : SiloTest
{
    [Fact]
    public async Task GetGrain_EmptyKey_ThrowsNamingTheRule()
    {
        var silo = await StartSiloAsync();

        var error = Assert.Throws<ArgumentException>(() => silo.Grains.GetGrain<ITurnGrain>(""));

        Assert.Contains("must not be empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetGrain_KeyOver512Utf8Bytes_ThrowsWithTheSizeAndTheLimit()
    {
        var silo = await StartSiloAsync();
        var key = new string('é', 257); // 257 characters, 514 bytes in UTF-8

        var error = Assert.Throws<ArgumentException>(() => silo.Grains.GetGrain<ITurnGrain>(key));

        Assert.Contains("514 bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("512", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetGrain_KeyOfExactly512Utf8Bytes_IsServed()
    {
        var silo = await StartSiloAsync();
        var key = new string('é', 256);

        Assert.Equal(42, await silo.Grains.GetGrain<ITurnGrain>(key).Ping());
    }

    [Theory]
    [InlineData("line\nbreak", "U+000A")]
    [InlineData("nul\0", "U+0000")]
    [InlineData("\u007fdelete", "U+007F")]
    public async Task GetGrain_KeyWithControlCharacter_ThrowsNamingTheCharacter(string key, string named)
    {
        var silo = await StartSiloAsync();

        var error = Assert.Throws<ArgumentException>(() => silo.Grains.GetGrain<ITurnGrain>(key));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.Contains("control character", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetGrain_KeyWithUnpairedSurrogate_Throws()
    {
        var silo = await StartSiloAsync();

        var error = Assert.Throws<ArgumentException>(() => silo.Grains.GetGrain<ITurnGrain>("a\ud800b"));

        Assert.Contains("surrogate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetGrain_InterfaceWithoutGrainClass_ThrowsNamingTheInterface()
    {
        var silo = await StartSiloAsync();

        var error = Assert.Throws<ArgumentException>(() => silo.Grains.GetGrain<IUnimplementedGrain>("k"));

        Assert.Contains(nameof(IUnimplementedGrain), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StableHash_IsFnv1aOfTypeSlashKey()
    {
        // FNV-1a (32 bit) of the UTF-8 bytes of "a/b", computed independently; fixed forever, since stored rows carry it.
        var id = new GrainId(GrainType.Create("a"), "b");

        Assert.Equal(unchecked((int)0x3a8e75c1u), id.StableHash);
    }

    public interface IUnimplementedGrain : IGrain
    {
        Task Nothing();
    }
}
