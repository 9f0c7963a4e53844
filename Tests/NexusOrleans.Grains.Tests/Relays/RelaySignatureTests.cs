using NexusOrleans.Grains.Relays;
using NexusOrleans.Grains.Tests.Support;
using NexusOrleans.Protocol.Identity;
using NexusOrleans.Protocol.Wire;

namespace NexusOrleans.Grains.Tests.Relays;

/// <summary>A registration counts only when the operator's wallet and the relay key signed exactly it; malformed ones throw.</summary>
public sealed class RelaySignatureTests : RelaySiloTest
{
    [Fact]
    public async Task Register_Unsigned_IsRefused()
    {
        var silo = await StartSiloAsync();
        var op = await StakedOperatorAsync(silo);

        var result = await op.Grain(silo).Register(op.Registration(NewRelayKey()) with { OperatorSignature = null });

        Assert.Equal(RelayRegistrationStatus.BadSignature, result.Status);
        Assert.StartsWith("The request is not signed by the operator: it must carry a 65-byte EIP-191 signature", result.Reason, StringComparison.Ordinal);
        Assert.Empty(await LiveAsync(silo));
    }

    [Fact]
    public async Task Register_WithAnotherEndpointThanSigned_IsRefused()
    {
        var silo = await StartSiloAsync();
        var op = await StakedOperatorAsync(silo);

        var result = await op.Grain(silo).Register(op.Registration(NewRelayKey(), "wss://honest.example.org/v1/ws") with { Endpoint = "wss://evil.example.org/v1/ws" });

        Assert.Equal(RelayRegistrationStatus.BadSignature, result.Status);
        Assert.Empty(await LiveAsync(silo));
    }

    [Fact]
    public async Task Register_WithAGarbledSignature_IsRefused()
    {
        var silo = await StartSiloAsync();
        var op = await StakedOperatorAsync(silo);
        var registration = op.Registration(NewRelayKey());
        var garbled = registration.OperatorSignature!.ToArray();
        garbled[64] = 99;

        var result = await op.Grain(silo).Register(registration with { OperatorSignature = garbled });

        Assert.Equal(RelayRegistrationStatus.BadSignature, result.Status);
    }

    [Fact]
    public async Task Register_SignedByAnotherWallet_IsRefusedNamingTheSigner()
    {
        var silo = await StartSiloAsync();
        var op = await StakedOperatorAsync(silo);
        var other = NewOperator();
        var relay = NewRelayKey();
        var registration = op.Registration(relay);
        var message = RelayRegistrationMessage.Registration(op.Wallet.Address, relay.Identity.ToString(), registration.IssuedAt, registration.Endpoint);

        var result = await op.Grain(silo).Register(registration with { OperatorSignature = other.Wallet.SignPersonalMessage(message) });

        Assert.Equal(RelayRegistrationStatus.BadSignature, result.Status);
        Assert.Equal(
            $"The request is signed by {other.Wallet.Address}, not by the operator {op.Wallet.Address}: sign it with the operator's wallet.",
            result.Reason);
    }

    [Fact]
    public async Task Register_WithoutTheRelayKeysSignature_IsRefused()
    {
        var silo = await StartSiloAsync();
        var op = await StakedOperatorAsync(silo);

        var result = await op.Grain(silo).Register(op.Registration(NewRelayKey()) with { RelaySignature = null });

        Assert.Equal(RelayRegistrationStatus.BadSignature, result.Status);
        Assert.StartsWith("The registration has no relay signature", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_AKeyTheOperatorDoesNotHold_IsRefused()
    {
        var silo = await StartSiloAsync();
        var op = await StakedOperatorAsync(silo);
        var victim = NewRelayKey();
        var squatter = NewRelayKey();
        var registration = op.Registration(victim);
        var message = RelayRegistrationMessage.Registration(op.Wallet.Address, victim.Identity.ToString(), registration.IssuedAt, registration.Endpoint);

        var result = await op.Grain(silo).Register(registration with { RelaySignature = squatter.Sign(message) });

        Assert.Equal(RelayRegistrationStatus.BadSignature, result.Status);
        Assert.StartsWith("The relay signature does not verify with the relay key", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unregister_SignedByAnotherWallet_IsRefusedAndTheNodeStaysListed()
    {
        var silo = await StartSiloAsync();
        var op = await StakedOperatorAsync(silo);
        var other = NewOperator();
        var relay = NewRelayKey();
        await op.Grain(silo).Register(op.Registration(relay));
        Clock.Advance(TimeSpan.FromSeconds(1));
        var unregistration = op.Unregistration(relay);
        var message = RelayRegistrationMessage.Unregistration(op.Wallet.Address, relay.Identity.ToString(), unregistration.IssuedAt);

        var result = await op.Grain(silo).Unregister(unregistration with { OperatorSignature = other.Wallet.SignPersonalMessage(message) });

        Assert.Equal(RelayRegistrationStatus.BadSignature, result.Status);
        Assert.Single(await LiveAsync(silo));
    }

    [Fact]
    public async Task Unregister_ARegistrationSignature_DoesNotPassForAnUnregistration()
    {
        var silo = await StartSiloAsync();
        var op = await StakedOperatorAsync(silo);
        var relay = NewRelayKey();
        var registration = op.Registration(relay);
        await op.Grain(silo).Register(registration);

        var result = await op.Grain(silo).Unregister(new RelayUnregistration(op.Wallet.Address, relay.Identity.ToString(), registration.IssuedAt, registration.OperatorSignature));

        Assert.Equal(RelayRegistrationStatus.BadSignature, result.Status);
    }

    [Fact]
    public async Task Register_OnAnotherOperatorsGrain_Throws()
    {
        var silo = await StartSiloAsync();
        var op = NewOperator();
        var other = NewOperator();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => other.Grain(silo).Register(op.Registration(NewRelayKey())));

        Assert.Contains($"This is the operator grain of {other.Address}; the request names operator {op.Address}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://relay.example.org/v1/ws")]
    [InlineData("relay.example.org")]
    [InlineData("")]
    public async Task Register_WithAnEndpointThatIsNotAWebSocketUrl_Throws(string endpoint)
    {
        var silo = await StartSiloAsync();
        var op = NewOperator();
        var registration = op.Registration(NewRelayKey()) with { Endpoint = endpoint };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => op.Grain(silo).Register(registration));

        Assert.StartsWith("A relay endpoint is a ws:// or wss:// URL", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Heartbeat_WithAKeyThatIsNotHex_Throws()
    {
        var silo = await StartSiloAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => NewOperator().Grain(silo).Heartbeat("not-a-key"));

        Assert.StartsWith("A relay key is 64 hex characters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_WithTooManyNodes_IsRefused()
    {
        Relays = options => options.MaxNodesPerOperator = 2;
        var silo = await StartSiloAsync();
        var op = await StakedOperatorAsync(silo);
        await op.Grain(silo).Register(op.Registration(NewRelayKey()));
        await op.Grain(silo).Register(op.Registration(NewRelayKey()));

        var result = await op.Grain(silo).Register(op.Registration(NewRelayKey()));

        Assert.Equal(RelayRegistrationStatus.TooManyNodes, result.Status);
        Assert.Contains("already has 2 registered relays", result.Reason, StringComparison.Ordinal);
    }

    private async Task<TestOperator> StakedOperatorAsync(NexusOrleans.Testing.TestSilo silo)
    {
        var op = NewOperator();
        await StakeAsync(silo, op.Address, MinimumStake);
        return op;
    }
}
