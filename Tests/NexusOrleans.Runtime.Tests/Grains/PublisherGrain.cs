namespace NexusOrleans.Runtime.Tests.Grains;

public interface IChatObserver : IGrainObserver
{
    Task Receive(string message);
}

public interface IPublisherGrain : IGrain
{
    Task Subscribe(IChatObserver observer);

    Task<int> Publish(string message);

    Task<int> Subscribers();
}

/// <summary>Pushes messages to subscribed observers; subscriptions last five minutes unless renewed.</summary>
public sealed class PublisherGrain : Grain, IPublisherGrain
{
    public static readonly TimeSpan Expiration = TimeSpan.FromMinutes(5);
    private ObserverManager<IChatObserver>? _subscribers;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _subscribers = new ObserverManager<IChatObserver>(Expiration, TimeProvider);
        return Task.CompletedTask;
    }

    public Task Subscribe(IChatObserver observer)
    {
        _subscribers!.Subscribe(observer);
        return Task.CompletedTask;
    }

    public Task<int> Publish(string message) => Task.FromResult(_subscribers!.Notify(observer => observer.Receive(message)));

    public Task<int> Subscribers() => Task.FromResult(_subscribers!.Count);
}
