using System.Text;
using System.Text.Json;
using NexusOrleans.Grains.Inbox;
using NexusOrleans.Grains.Tests.Support;
using NexusOrleans.Runtime.State;

namespace NexusOrleans.Grains.Tests.Inbox;

/// <summary>How an inbox's state is stored: tombstones as one base64 string of 40-byte records, and the earlier form still read.</summary>
public sealed class InboxStateFormatTests
{
    private static readonly JsonGrainStateSerializer Serializer = new();
    private static readonly DateTimeOffset Expiry = new(2026, 11, 21, 18, 30, 0, 123, TimeSpan.Zero);

    [Fact]
    public void Tombstones_RoundTrip_AsOneBase64StringOfFortyBytesEach()
    {
        var state = new InboxState();
        var first = Envelopes.NewIdentity();
        var second = Envelopes.NewIdentity();
        state.Burned[first] = Expiry;
        state.Burned[second] = Expiry.AddTicks(7);

        var stored = Serializer.Serialize(state);
        var read = Serializer.Deserialize<InboxState>(stored);

        using var json = JsonDocument.Parse(stored);
        var burned = json.RootElement.GetProperty(nameof(InboxState.Burned));
        Assert.Equal(JsonValueKind.String, burned.ValueKind);
        Assert.Equal(80, burned.GetBytesFromBase64().Length);
        Assert.Equal(2, read.Burned.Count);
        Assert.Equal(Expiry, read.Burned[first]);
        Assert.Equal(Expiry.AddTicks(7), read.Burned[second]);
        Assert.Equal(Expiry.UtcTicks + 7, read.Burned[second].UtcTicks);
    }

    [Fact]
    public void NoTombstones_RoundTrip_AsAnEmptyString()
    {
        var read = Serializer.Deserialize<InboxState>(Serializer.Serialize(new InboxState { LastSequence = 5 }));

        Assert.Empty(read.Burned);
        Assert.Equal(5, read.LastSequence);
    }

    [Fact]
    public void TheEarlierForm_AnObjectOfIdsAndDates_IsStillRead()
    {
        var id = Envelopes.NewIdentity();
        var stored = Encoding.UTF8.GetBytes($$"""{"LastSequence":3,"Envelopes":[],"Burned":{"{{id}}":"2026-11-21T18:30:00.123+00:00"},"ExpiryReminderDue":null}""");

        var read = Serializer.Deserialize<InboxState>(stored);

        Assert.Equal(Expiry, Assert.Single(read.Burned, pair => pair.Key == id).Value);
        Assert.Equal(3, read.LastSequence);
    }

    [Theory]
    [InlineData("\"AAAA\"", "40-byte records")]
    [InlineData("17", "base64 string")]
    public void DamagedTombstones_FailWithAMessageSayingWhatIsWrong(string burned, string expected)
    {
        var stored = Encoding.UTF8.GetBytes($$"""{"LastSequence":1,"Burned":{{burned}}}""");

        var exception = Assert.Throws<JsonException>(() => Serializer.Deserialize<InboxState>(stored));

        Assert.Contains(expected, exception.Message);
    }

    [Fact]
    public void ATombstoneWhoseIdIsNotHex_IsRefusedWhenAdded()
    {
        var state = new InboxState();

        var exception = Assert.Throws<ArgumentException>(() => state.Burned[new string('z', 64)] = Expiry);

        Assert.Contains("64 lowercase hex characters", exception.Message);
        Assert.Equal(0, state.Burned.Count);
    }

    [Fact]
    public void TheEarlierForm_WithAnIdThatIsNotHex_FailsWithAMessageSayingWhatIsWrong()
    {
        var id = new string('z', 64);
        var stored = Encoding.UTF8.GetBytes($$"""{"LastSequence":1,"Burned":{"{{id}}":"2026-11-21T18:30:00+00:00"} }""");

        var exception = Assert.Throws<JsonException>(() => Serializer.Deserialize<InboxState>(stored));

        Assert.Contains("64 lowercase hex characters", exception.Message);
    }
}
