using NexusOrleans.Grains.Ledger;
using NexusOrleans.Grains.Relays;
using NexusOrleans.Grains.Tests.Support;
using NexusOrleans.Protocol.Identity;
using NexusOrleans.Testing;

namespace NexusOrleans.Grains.Tests.Relays;

/// <summary>Registering relay nodes: who may, with what stake, and what a replay gets.</summary>
public abstract class RelayRegistrationTests : RelaySiloTest
{
    [Fact]
    public async Task Register_WithEnoughStake_IsListedByTheDirectory()
    {
        var silo = await StartSiloAsync();
        var op = NewOperator();
        var relay = NewRelayKey();
        await StakeAsync(silo, op.Address, MinimumStake);

        var result = await op.Grain(silo).Register(op.Registration(relay, "wss://relay-1.example.org/v1/ws"));

        Assert.Equal(RelayRegistrationStatus.Registered, result.Status);
        var listed = Assert.Single(await LiveAsync(silo));
        Assert.Equal(
            (relay.Identity.ToString(), op.Address, "wss://relay-1.example.org/v1/ws", MinimumStake, Now),
            (listed.RelayKey, listed.Operator, listed.Endpoint, listed.Stake, listed.RegisteredAt));
    }

    [Fact]
    public async Task Register_WithStakeBelowTheMinimum_IsRefusedNamingBothAmounts()
    {
        var silo = await StartSiloAsync();
        var op = NewOperator();
        await StakeAsync(silo, op.Address, Tokens.Whole(999_999) + (Tokens.One / 2));

        var result = await op.Grain(silo).Register(op.Registration(NewRelayKey()));

        Assert.Equal(RelayRegistrationStatus.InsufficientStake, result.Status);
        Assert.Equal(
            $"Operator {op.Wallet.Address} has 999999.5 iChat staked; a relay needs at least 1000000 iChat staked. Stake 0.5 iChat more and register again.",
            result.Reason);
        Assert.Empty(await LiveAsync(silo));
        Assert.Empty((await op.Grain(silo).GetOperator()).Nodes);
    }

    [Fact]
    public async Task Register_WithNoStakeAtAll_IsRefused()
    {
        var silo = await StartSiloAsync();
        var op = NewOperator();

        var result = await op.Grain(silo).Register(op.Registration(NewRelayKey()));

        Assert.Equal(RelayRegistrationStatus.InsufficientStake, result.Status);
        Assert.Contains("has 0 iChat staked", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_AfterStakingTheRest_Succeeds()
    {
        var silo = await StartSiloAsync();
        var op = NewOperator();
        var relay = NewRelayKey();
        await StakeAsync(silo, op.Address, Tokens.Whole(400_000));
        Assert.Equal(RelayRegistrationStatus.InsufficientStake, (await op.Grain(silo).Register(op.Registration(relay))).Status);
        await StakeAsync(silo, op.Address, Tokens.Whole(600_000));
        Clock.Advance(TimeSpan.FromSeconds(1));

        var result = await op.Grain(silo).Register(op.Registration(relay));

        Assert.Equal(RelayRegistrationStatus.Registered, result.Status);
    }

    [Fact]
    public async Task Register_TheSameRegistrationAgain_AnswersAlreadyRegistered()
    {
        var silo = await StartSiloAsync();
        var op = NewOperator();
        await StakeAsync(silo, op.Address, MinimumStake);
        var registration = op.Registration(NewRelayKey());
        await op.Grain(silo).Register(registration);
        Clock.Advance(TimeSpan.FromSeconds(30));

        var again = await op.Grain(silo).Register(registration);

        Assert.Equal(RelayRegistrationStatus.AlreadyRegistered, again.Status);
        Assert.Single(await LiveAsync(silo));
    }

    [Fact]
    public async Task Register_ReplayedOutsideTheSkew_IsRefused()
    {
        var silo = await StartSiloAsync();
        var op = NewOperator();
        await StakeAsync(silo, op.Address, MinimumStake);
        var relay = NewRelayKey();
        var registration = op.Registration(relay);
        await op.Grain(silo).Register(registration);
        await op.Grain(silo).Unregister(op.Unregistration(relay, Now + TimeSpan.FromSeconds(1)));
        Clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));

        var replay = await op.Grain(silo).Register(registration);

        Assert.Equal(RelayRegistrationStatus.OutsideClockSkew, replay.Status);
        Assert.Contains("it must be within 00:05:00 of it (Relays:RegistrationSkew)", replay.Reason, StringComparison.Ordinal);
        Assert.Empty(await LiveAsync(silo));
    }

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    public async Task Register_IssuedFurtherFromTheClusterClockThanTheSkew_IsRefused(int seconds)
    {
        var silo = await StartSiloAsync();
        var op = NewOperator();
        await StakeAsync(silo, op.Address, MinimumStake);

        var result = await op.Grain(silo).Register(op.Registration(NewRelayKey(), issuedAt: Now + TimeSpan.FromSeconds(seconds)));

        Assert.Equal(RelayRegistrationStatus.OutsideClockSkew, result.Status);
    }

    [Theory]
    [InlineData(-299)]
    [InlineData(299)]
    public async Task Register_IssuedWithinTheSkew_Succeeds(int seconds)
    {
        var silo = await StartSiloAsync();
        var op = NewOperator();
        await StakeAsync(silo, op.Address, MinimumStake);

        var result = await op.Grain(silo).Register(op.Registration(NewRelayKey(), issuedAt: Now + TimeSpan.FromSeconds(seconds)));

        Assert.Equal(RelayRegistrationStatus.Registered, result.Status);
    }

    [Fact]
    public async Task Register_AnOlderRegistrationAfterAnUnregistration_IsSupersededEvenWithinTheSkew()
    {
        var silo = await StartSiloAsync();
        var op = NewOperator();
        await StakeAsync(silo, op.Address, MinimumStake);
        var relay = NewRelayKey();
        var registration = op.Registration(relay);
        await op.Grain(silo).Register(registration);
        Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(RelayRegistrationStatus.Unregistered, (await op.Grain(silo).Unregister(op.Unregistration(relay))).Status);

        var replay = await op.Grain(silo).Register(registration);

        Assert.Equal(RelayRegistrationStatus.Superseded, replay.Status);
        Assert.Empty(await LiveAsync(silo));
    }

    [Fact]
    public async Task Register_SeveralNodesOfOneOperator_AreAllListed()
    {
        var silo = await StartSiloAsync();
        var op = NewOperator();
        await StakeAsync(silo, op.Address, MinimumStake);
        var relays = new[] { NewRelayKey(), NewRelayKey(), NewRelayKey() };

        for (var i = 0; i < relays.Length; i++)
        {
            Assert.Equal(RelayRegistrationStatus.Registered, (await op.Grain(silo).Register(op.Registration(relays[i], $"wss://relay-{i}.example.org/v1/ws"))).Status);
        }

        Assert.Equal(relays.Select(relay => relay.Identity.ToString()).Order(StringComparer.Ordinal), (await LiveAsync(silo)).Select(entry => entry.RelayKey));
        Assert.Equal(3, (await op.Grain(silo).GetOperator()).Nodes.Count);
    }

    [Fact]
    public async Task Register_AKeyAnotherOperatorHolds_IsRefusedNamingTheHolder()
    {
        var silo = await StartSiloAsync();
        var first = NewOperator();
        var second = NewOperator();
        await StakeAsync(silo, first.Address, MinimumStake);
        await StakeAsync(silo, second.Address, MinimumStake);
        var relay = NewRelayKey();
        await first.Grain(silo).Register(first.Registration(relay));

        var result = await second.Grain(silo).Register(second.Registration(relay, "wss://thief.example.org/v1/ws"));

        Assert.Equal(RelayRegistrationStatus.RelayKeyTaken, result.Status);
        Assert.Contains($"is registered by operator {first.Wallet.Address}", result.Reason, StringComparison.Ordinal);
        Assert.Equal(first.Address, Assert.Single(await LiveAsync(silo)).Operator);
    }

    [Fact]
    public async Task Register_AfterASiloRestart_IsStillKnownAndListedAtTheNextHeartbeat()
    {
        var first = await StartSiloAsync();
        var op = NewOperator();
        var relay = NewRelayKey();
        await StakeAsync(first, op.Address, MinimumStake);
        await op.Grain(first).Register(op.Registration(relay));
        await first.StopAsync();

        var second = await StartSiloAsync();
        var node = Assert.Single((await op.Grain(second).GetOperator()).Nodes);
        Clock.Advance(Heartbeat);
        await op.Grain(second).Heartbeat(relay.Identity.ToString());

        Assert.Equal((relay.Identity.ToString(), RelayNodeStatus.Live), (node.RelayKey, node.Status));
        Assert.Single(await LiveAsync(second));
    }

    [Fact]
    public async Task Unregister_RemovesTheNodeFromTheDirectoryAndRefusesItsHeartbeats()
    {
        var silo = await StartSiloAsync();
        var op = NewOperator();
        var relay = NewRelayKey();
        await StakeAsync(silo, op.Address, MinimumStake);
        await op.Grain(silo).Register(op.Registration(relay));
        Clock.Advance(TimeSpan.FromSeconds(1));

        var result = await op.Grain(silo).Unregister(op.Unregistration(relay));

        Assert.Equal(RelayRegistrationStatus.Unregistered, result.Status);
        Assert.Empty(await LiveAsync(silo));
        Assert.Equal(HeartbeatStatus.NotRegistered, (await op.Grain(silo).Heartbeat(relay.Identity.ToString())).Status);
        var node = Assert.Single((await op.Grain(silo).GetOperator()).Nodes);
        Assert.Equal(RelayNodeStatus.Unregistered, node.Status);
        Assert.Equal(new[] { RelayNodeEventKind.Registered, RelayNodeEventKind.Unregistered }, node.Events.Select(item => item.Kind));
    }

    [Fact]
    public async Task Register_AgainAfterUnregistering_ListsTheNodeAgain()
    {
        var silo = await StartSiloAsync();
        var op = NewOperator();
        var relay = NewRelayKey();
        await StakeAsync(silo, op.Address, MinimumStake);
        await op.Grain(silo).Register(op.Registration(relay));
        Clock.Advance(TimeSpan.FromSeconds(1));
        await op.Grain(silo).Unregister(op.Unregistration(relay));
        Clock.Advance(TimeSpan.FromSeconds(1));

        var result = await op.Grain(silo).Register(op.Registration(relay));

        Assert.Equal(RelayRegistrationStatus.Registered, result.Status);
        Assert.Single(await LiveAsync(silo));
        Assert.Equal(3, Assert.Single((await op.Grain(silo).GetOperator()).Nodes).Events.Count);
    }
}

public sealed class RelayRegistrationTestsInMemory : RelayRegistrationTests
{
    protected override StoreKind Store => StoreKind.Memory;
}

public sealed class RelayRegistrationTestsOnSqlite : RelayRegistrationTests
{
    protected override StoreKind Store => StoreKind.Sqlite;
}

public sealed class RelayRegistrationTestsOnPostgres : RelayRegistrationTests
{
    protected override StoreKind Store => StoreKind.Postgres;
}
