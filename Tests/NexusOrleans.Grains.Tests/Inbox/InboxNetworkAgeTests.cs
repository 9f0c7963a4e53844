using Microsoft.Extensions.DependencyInjection;
using NexusOrleans.Grains.Inbox;
using NexusOrleans.Grains.Network;
using NexusOrleans.Grains.Tests.Support;
using NexusOrleans.Testing;

namespace NexusOrleans.Grains.Tests.Inbox;

/// <summary>The inbox keeps unread messages for the network's maximum unread age, which governance may lower.</summary>
public sealed class InboxNetworkAgeTests : NetworkSiloTest
{
    private readonly string _key = Envelopes.NewIdentity();
    private TimeSpan _inboxCeiling = TimeSpan.FromHours(6);

    protected override StoreKind Store => StoreKind.Sqlite;

    protected override void ConfigureServices(IServiceCollection services) => services.AddInbox(options => options.MaxUnreadAge = _inboxCeiling);

    [Fact]
    public async Task Deposit_AfterGovernanceLowersTheMaxUnreadAge_ExpiresAtTheNewAge()
    {
        var silo = await StartSiloAsync();
        var current = await Network(silo).Get();
        await Network(silo).Change(current with { MaxUnreadAge = TimeSpan.FromHours(1) }, "shorter-retention");

        var result = await silo.Grains.GetGrain<IInboxGrain>(_key).Deposit(Envelopes.Create(Now, TimeSpan.FromHours(6)));

        Assert.Equal(Now + TimeSpan.FromHours(1), result.ExpiresAt);
    }

    [Fact]
    public async Task Deposit_ASiloWhoseInboxCeilingIsLowerThanTheNetworks_KeepsItsOwnCeiling()
    {
        _inboxCeiling = TimeSpan.FromMinutes(30);
        var silo = await StartSiloAsync();

        var result = await silo.Grains.GetGrain<IInboxGrain>(_key).Deposit(Envelopes.Create(Now, TimeSpan.FromHours(6)));

        Assert.Equal(Now + TimeSpan.FromMinutes(30), result.ExpiresAt);
    }

    [Fact]
    public async Task Deposit_ALoweringMadeAfterTheSiloReadTheAge_AppliesWithinAMinute()
    {
        var silo = await StartSiloAsync();
        var inbox = silo.Grains.GetGrain<IInboxGrain>(_key);
        Assert.Equal(Now + TimeSpan.FromHours(6), (await inbox.Deposit(Envelopes.Create(Now, TimeSpan.FromHours(6)))).ExpiresAt);
        await Network(silo).Change((await Network(silo).Get()) with { MaxUnreadAge = TimeSpan.FromHours(2) }, "two-hours");

        Clock.Advance(NetworkUnreadAge.Refresh);
        await Eventually(
            async () => (await inbox.Deposit(Envelopes.Create(Now, TimeSpan.FromHours(6)))).ExpiresAt == Now + TimeSpan.FromHours(2),
            "a deposit after the refresh gets the lowered age");
    }
}
