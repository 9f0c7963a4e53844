using NexusOrleans.Gateway.Relay;
using NexusOrleans.Protocol.Identity;
using NexusOrleans.Protocol.Wire;

namespace NexusOrleans.Gateway.Tests;

/// <summary>The relay signs its registration once with the operator's wallet and its own key, then forgets the wallet key.</summary>
public sealed class RelayIdentityTests
{
    private const string AbandonAbout = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
    private static readonly DateTimeOffset IssuedAt = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void SignRegistration_IsSignedByTheOperatorWalletAndTheRelayKey()
    {
        using var relay = RelayIdentity.FromMnemonic(AbandonAbout, "test");

        var registration = relay.SignRegistration("wss://relay.example.org/v1/ws", IssuedAt.AddTicks(5));

        var message = RelayRegistrationMessage.Registration(relay.Wallet, relay.Key.ToString(), registration.IssuedAt, registration.Endpoint);
        Assert.Equal("0x9858EfFD232B4033E47d90003D41EC34EcaEda94", EvmSignatures.RecoverPersonalMessageSigner(message, registration.OperatorSignature));
        Assert.True(relay.Key.Verify(message, registration.RelaySignature));
        Assert.Equal((relay.Wallet, relay.Key.ToString(), IssuedAt), (registration.Operator, registration.RelayKey, registration.IssuedAt));
    }

    [Fact]
    public void SignRegistration_ASecondTime_ThrowsBecauseTheWalletKeyIsGone()
    {
        using var relay = RelayIdentity.FromMnemonic(AbandonAbout, "test");
        relay.SignRegistration("wss://relay.example.org/v1/ws", IssuedAt);

        var error = Assert.Throws<InvalidOperationException>(() => relay.SignRegistration("wss://relay.example.org/v1/ws", IssuedAt));

        Assert.False(relay.CanSignRegistration);
        Assert.Contains("restart the relay", error.Message, StringComparison.Ordinal);
        Assert.Equal("0x9858EfFD232B4033E47d90003D41EC34EcaEda94", relay.Wallet);
    }

    [Fact]
    public void FromMnemonic_AnotherNodeIndex_GivesAnotherRelayKeyUnderTheSameWallet()
    {
        using var first = RelayIdentity.FromMnemonic(AbandonAbout, "test");
        using var second = RelayIdentity.FromMnemonic(AbandonAbout, "test", nodeIndex: 1);

        Assert.NotEqual(first.Key, second.Key);
        Assert.Equal(first.Wallet, second.Wallet);
        using var account1 = ChatKeys.FromMnemonic(AbandonAbout, account: 1);
        Assert.Equal(account1.Identity, second.Key);
    }
}
