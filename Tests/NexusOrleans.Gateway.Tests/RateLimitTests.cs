using NexusOrleans.Gateway.Tests.Support;
using NexusOrleans.Protocol.Wire;

namespace NexusOrleans.Gateway.Tests;

public sealed class RateLimitTests : IAsyncLifetime
{
    private RelayCluster _cluster = null!;

    // A bucket of 5 that refills 1 per second: a burst of 10 frames must run dry within one test.
    public async ValueTask InitializeAsync() => _cluster = await RelayCluster.StartAsync(settings: new Dictionary<string, string?>
    {
        ["Gateway:PerIdentity:PermitsPerSecond"] = "1",
        ["Gateway:PerIdentity:Burst"] = "5",
    });

    public async ValueTask DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task BurstAboveTheIdentityLimit_IsRateLimitedWithARetryHint()
    {
        await using var phone = await RawPhone.ConnectAsync(_cluster.Endpoints[0]);
        var answers = new List<WireFrame>();
        for (var i = 0; i < 10; i++)
        {
            answers.Add(await phone.RequestAsync(new WireFrame { Type = FrameTypes.Ping }));
        }

        var limited = answers.Where(answer => answer.Code == ErrorCodes.RateLimited).ToArray();
        Assert.NotEmpty(limited);
        Assert.All(limited, answer => Assert.True(answer.RetryAfterMs > 0));
        Assert.Equal(FrameTypes.Ok, answers[0].Type);
    }

    [Fact]
    public async Task OneIdentityBeingLimited_LeavesOthersAlone()
    {
        await using var noisy = await RawPhone.ConnectAsync(_cluster.Endpoints[0]);
        await using var quiet = await RawPhone.ConnectAsync(_cluster.Endpoints[0]);
        for (var i = 0; i < 10; i++)
        {
            await noisy.RequestAsync(new WireFrame { Type = FrameTypes.Ping });
        }

        Assert.Equal(FrameTypes.Ok, (await quiet.RequestAsync(new WireFrame { Type = FrameTypes.Ping })).Type);
    }
}
