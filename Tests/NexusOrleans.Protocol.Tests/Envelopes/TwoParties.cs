using NexusOrleans.Protocol.Identity;

namespace NexusOrleans.Protocol.Tests.Envelopes;

/// <summary>Base of envelope tests: a sender and a recipient with fresh random keys, and a fixed "now".</summary>
public abstract class TwoParties : IDisposable
{
    protected static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    protected ChatKeys Alice { get; } = TestKeys.Random();

    protected ChatKeys Bob { get; } = TestKeys.Random();

    public void Dispose()
    {
        Alice.Dispose();
        Bob.Dispose();
        GC.SuppressFinalize(this);
    }
}
