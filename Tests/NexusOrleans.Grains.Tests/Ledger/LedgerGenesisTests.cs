using Microsoft.Extensions.Logging;
using NexusOrleans.Grains.Ledger;
using NexusOrleans.Grains.Tests.Support;
using NexusOrleans.Runtime.Storage;
using NexusOrleans.Testing;

namespace NexusOrleans.Grains.Tests.Ledger;

/// <summary>
/// The genesis allocation: minted when the silo starts, once per address for the life of the store (restarts on one
/// SQLite file), never again for a changed amount, and a line added later is minted on the next start.
/// </summary>
public sealed class LedgerGenesisTests : LedgerSiloTest
{
    private const int MintedEvent = 3210;
    private const int MintedBeforeEvent = 3211;
    private readonly string _alice = NewAddress();
    private readonly string _bob = NewAddress();

    protected override StoreKind Store => StoreKind.Sqlite;

    [Fact]
    public async Task Start_WithGenesis_MintsEachLineToItsAccount()
    {
        var silo = await StartSiloAsync(Genesis((_alice.ToUpperInvariant().Replace("0X", "0x", StringComparison.Ordinal), "1000000"), (_bob, "0.5")));

        Assert.Equal((Ichat(1_000_000), UInt128.Zero, UInt128.Zero), await AmountsAsync(silo, _alice));
        Assert.Equal((Tokens.One / 2, UInt128.Zero, UInt128.Zero), await AmountsAsync(silo, _bob));
        Assert.Equal(Ichat(1_000_000) + (Tokens.One / 2), (await Supply(silo).GetSupply()).Minted);
        Assert.Contains(silo.Logs.Lines, line => line.EventId.Id == MintedEvent && line.Level == LogLevel.Information
            && line.Message == $"Genesis: minted 1000000 iChat to {_alice} (entry genesis:{_alice})");
    }

    [Fact]
    public async Task Restart_WithTheSameGenesis_MintsNothingMore()
    {
        var first = await StartSiloAsync(Genesis((_alice, "1000000")));
        await first.StopAsync();

        var second = await StartSiloAsync(Genesis((_alice, "1000000")));

        Assert.Equal((Ichat(1_000_000), UInt128.Zero, UInt128.Zero), await AmountsAsync(second, _alice));
        Assert.Equal(Ichat(1_000_000), (await Supply(second).GetSupply()).Minted);
        Assert.Contains(second.Logs.Lines, line => line.EventId.Id == MintedBeforeEvent && line.Message.Contains(_alice, StringComparison.Ordinal));
        Assert.DoesNotContain(second.Logs.Lines, line => line.EventId.Id == MintedEvent);
    }

    [Fact]
    public async Task Restart_WithAChangedAmount_MintsNothingMore()
    {
        var first = await StartSiloAsync(Genesis((_alice, "1000000")));
        await first.StopAsync();

        var second = await StartSiloAsync(Genesis((_alice, "5000000")));

        Assert.Equal(Ichat(1_000_000), (await AmountsAsync(second, _alice)).Balance);
        Assert.Equal(Ichat(1_000_000), (await Supply(second).GetSupply()).Minted);
    }

    [Fact]
    public async Task Restart_WithALineAdded_MintsOnlyTheNewLine()
    {
        var first = await StartSiloAsync(Genesis((_alice, "10")));
        await first.StopAsync();

        var second = await StartSiloAsync(Genesis((_alice, "10"), (_bob, "20")));

        Assert.Equal((Ichat(10), Ichat(20)), ((await AmountsAsync(second, _alice)).Balance, (await AmountsAsync(second, _bob)).Balance));
        Assert.Equal(Ichat(30), (await Supply(second).GetSupply()).Minted);
    }

    [Fact]
    public async Task Start_WithoutGenesis_MintsNothing()
    {
        var silo = await StartSiloAsync();

        Assert.Equal(UInt128.Zero, (await Supply(silo).GetSupply()).Minted);
    }

    private static Action<LedgerOptions> Genesis(params (string Address, string Amount)[] lines) =>
        options => options.Genesis = [.. lines.Select(line => new GenesisAllocation { Address = line.Address, Amount = line.Amount })];
}
