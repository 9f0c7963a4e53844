using NexusOrleans.Runtime.Catalog;

namespace NexusOrleans.Runtime.Reminders;

/// <summary>The reminders of one grain, as its <see cref="IGrainContext.Reminders"/>.</summary>
internal sealed class GrainReminderRegistry(ReminderService service, GrainId grainId, GrainClass grainClass) : IGrainReminderRegistry
{
    public Task<IGrainReminder> RegisterOrUpdateAsync(string reminderName, TimeSpan dueTime, TimeSpan period)
    {
        if (!grainClass.IsRemindable)
        {
            throw new InvalidOperationException(
                $"{grainClass.ClassType.Name} registers reminder '{reminderName}' but does not implement IRemindable, so the reminder could never be delivered.");
        }

        return service.RegisterOrUpdateAsync(grainId, reminderName, dueTime, period);
    }

    public Task UnregisterAsync(string reminderName) => service.UnregisterAsync(grainId, reminderName);

    public Task<IGrainReminder?> GetAsync(string reminderName) => service.GetAsync(grainId, reminderName);

    public Task<IReadOnlyList<IGrainReminder>> GetAllAsync() => service.GetAllAsync(grainId);
}
