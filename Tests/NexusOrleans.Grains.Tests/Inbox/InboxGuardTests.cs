using NexusOrleans.Grains.Inbox;
using NexusOrleans.Grains.Tests.Support;
using NexusOrleans.Runtime;

namespace NexusOrleans.Grains.Tests.Inbox;

/// <summary>Malformed keys and envelopes are refused with a message that says what is allowed.</summary>
public sealed class InboxGuardTests : InboxSiloTest
{
    private readonly string _key = Envelopes.NewIdentity();

    [Theory]
    [InlineData("ABCDEF")]
    [InlineData("not hex at all, but exactly sixty-four characters long, see?!!")]
    public async Task Deposit_WithAMalformedId_IsRefusedAndNothingIsStored(string id)
    {
        var silo = await StartSiloAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Inbox(silo, _key).Deposit(Envelopes.Create(Now, TimeSpan.FromHours(1)) with { Id = id }));

        Assert.Contains("Id (the message id) must be 64 lowercase hex characters", error.Message, StringComparison.Ordinal);
        Assert.Null(await StoredRowAsync(silo, _key));
    }

    [Fact]
    public async Task Deposit_WithAnUppercaseSender_IsRefused()
    {
        var silo = await StartSiloAsync();
        var envelope = Envelopes.Create(Now, TimeSpan.FromHours(1));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Inbox(silo, _key).Deposit(envelope with { Sender = envelope.Sender.ToUpperInvariant() }));

        Assert.Contains("Sender", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deposit_WithoutData_IsRefused()
    {
        var silo = await StartSiloAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Inbox(silo, _key).Deposit(Envelopes.Create(Now, TimeSpan.FromHours(1)) with { Data = [] }));

        Assert.Contains("Data", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inbox_WhoseKeyIsNotAnIdentity_FailsToActivate()
    {
        var silo = await StartSiloAsync();

        var error = await Assert.ThrowsAsync<GrainActivationException>(() => Inbox(silo, "alice").Fetch(0, 10));

        Assert.Contains("64 lowercase hex characters", error.InnerException!.Message, StringComparison.Ordinal);
    }
}
