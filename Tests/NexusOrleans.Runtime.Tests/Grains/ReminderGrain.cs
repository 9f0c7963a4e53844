namespace NexusOrleans.Runtime.Tests.Grains;

public interface IReminderGrain : IGrain
{
    Task Register(string name, TimeSpan dueTime, TimeSpan period);

    Task Unregister(string name);

    Task<IReadOnlyList<string>> Names();

    Task Deactivate();
}

/// <summary>Records every reminder tick as reminder:{key}:{name}:{due time, ISO 8601}.</summary>
public sealed class ReminderGrain(Probe probe) : Grain, IReminderGrain, IRemindable
{
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        probe.Record($"activate:{Key}");
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        probe.Record($"deactivate:{Key}:{reason.Code}");
        return Task.CompletedTask;
    }

    public Task Register(string name, TimeSpan dueTime, TimeSpan period) => RegisterOrUpdateReminder(name, dueTime, period);

    public Task Unregister(string name) => UnregisterReminder(name);

    public async Task<IReadOnlyList<string>> Names()
        => [.. (await Context.Reminders.GetAllAsync()).Select(reminder => reminder.ReminderName).Order()];

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        probe.Record($"reminder:{Key}:{reminderName}:{status.CurrentTickTime:O}");
        return Task.CompletedTask;
    }
}

public interface IForgetfulGrain : IGrain
{
    Task Register(string name);
}

/// <summary>Registers a reminder without implementing IRemindable.</summary>
public sealed class ForgetfulGrain : Grain, IForgetfulGrain
{
    public Task Register(string name) => RegisterOrUpdateReminder(name, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
}
