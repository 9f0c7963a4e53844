using System.Text.Json;
using NexusOrleans.Protocol.Identity;
using NexusOrleans.Protocol.Wire;

namespace NexusOrleans.Protocol.Tests.Wire;

/// <summary>A signed relay list verifies as sent, through JSON, and fails after any change to what it says.</summary>
public sealed class RelayListSignatureTests : IDisposable
{
    private readonly ChatKeys _relay = ChatKeys.FromMnemonic(Bip39.Generate());

    private static readonly ListedRelay[] Relays =
    [
        new("6a8a1a8fbf5f9186a336e1bc6b3748c495af17b612dce394880463df3a34eb2f", "wss://a.example/v1/ws", "0x9858EfFD232B4033E47d90003D41EC34EcaEda94", "1000000000000000000000000", ListedRelayStatus.Live, null),
        new("bccc308e0319428fb562fd2fa5303294ae8e06c211116a9e87c40abf2a213dbb", "ws://127.0.0.1:8080/v1/ws", "0x0000000000000000000000000000000000000001", "0", ListedRelayStatus.Stale, 42),
    ];

    public void Dispose() => _relay.Dispose();

    [Fact]
    public void Verify_AListAsSignedAndSentAsJson_Succeeds()
    {
        var signed = RelayListSignature.Sign(_relay, 1767225600000, Relays);

        var received = JsonSerializer.Deserialize(JsonSerializer.Serialize(signed, RelayListJson.Default.SignedRelayList), RelayListJson.Default.SignedRelayList)!;

        Assert.True(RelayListSignature.Verify(received));
        Assert.Equal(_relay.Identity.ToString(), received.Relay);
    }

    [Fact]
    public void Json_WritesANullLatencyAndCamelCaseNames()
    {
        var json = JsonSerializer.Serialize(RelayListSignature.Sign(_relay, 5, Relays[..1]), RelayListJson.Default.SignedRelayList);

        Assert.StartsWith("{\"relays\":[{\"key\":\"6a8a", json, StringComparison.Ordinal);
        Assert.Contains("\"stake\":\"1000000000000000000000000\",\"status\":\"live\",\"latencyMs\":null}],\"issuedAt\":5,\"relay\":\"", json, StringComparison.Ordinal);
    }

    public static TheoryData<string> Tampering => ["endpoint", "stake", "status", "latency", "operator", "dropped", "issuedAt", "signer", "order"];

    [Theory]
    [MemberData(nameof(Tampering))]
    public void Verify_AfterAnyChange_Fails(string change)
    {
        var signed = RelayListSignature.Sign(_relay, 1767225600000, Relays);
        var relays = signed.Relays.ToArray();
        using var other = ChatKeys.FromMnemonic(Bip39.Generate());
        var tampered = change switch
        {
            "endpoint" => signed with { Relays = [relays[0] with { Endpoint = "wss://evil.example/v1/ws" }, relays[1]] },
            "stake" => signed with { Relays = [relays[0] with { Stake = "1000000000000000000000001" }, relays[1]] },
            "status" => signed with { Relays = [relays[0], relays[1] with { Status = ListedRelayStatus.Live }] },
            "latency" => signed with { Relays = [relays[0], relays[1] with { LatencyMs = 1 }] },
            "operator" => signed with { Relays = [relays[0] with { Operator = "0x0000000000000000000000000000000000000002" }, relays[1]] },
            "dropped" => signed with { Relays = [relays[0]] },
            "issuedAt" => signed with { IssuedAt = signed.IssuedAt + 1 },
            "signer" => signed with { Relay = other.Identity.ToString() },
            "order" => signed with { Relays = [relays[1], relays[0]] },
            _ => throw new ArgumentOutOfRangeException(nameof(change)),
        };

        Assert.False(RelayListSignature.Verify(tampered));
    }

    [Fact]
    public void Verify_ListResignedByAnotherKey_VerifiesOnlyAsThatKeys()
    {
        using var other = ChatKeys.FromMnemonic(Bip39.Generate());

        var forged = RelayListSignature.Sign(other, 1767225600000, Relays);

        Assert.True(RelayListSignature.Verify(forged));
        Assert.NotEqual(_relay.Identity.ToString(), forged.Relay);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("1e6")]
    [InlineData("")]
    public void Verify_WithAStakeThatIsNotADecimal_FailsWithoutThrowing(string stake)
    {
        var signed = RelayListSignature.Sign(_relay, 1, Relays);

        Assert.False(RelayListSignature.Verify(signed with { Relays = [signed.Relays[0] with { Stake = stake }] }));
    }

    [Fact]
    public void Message_StakeIsARightAlignedUint256()
    {
        var message = RelayListSignature.Message(_relay.Identity.ToString(), 0, [Relays[1] with { Stake = "258" }]);

        // label (20) + signer (32) + issuedAt (8) + count (4) + key (32) + operator (20) = 116: the stake's 32 bytes follow.
        Assert.Equal(Convert.FromHexString("0000000000000000000000000000000000000000000000000000000000000102"), message[116..148]);
        Assert.Equal(new byte[] { 2, 0, 0, 0, 42, 0, 25 }, message[148..155]);
    }
}
