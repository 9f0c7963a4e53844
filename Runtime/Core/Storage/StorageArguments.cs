namespace NexusOrleans.Runtime.Storage;

/// <summary>Guard clauses shared by every provider, so that all of them reject the same bad input the same way.</summary>
internal static class StorageArguments
{
    public static void ValidateGrainId(GrainId grainId, string paramName)
    {
        if (grainId.Type.Name is null || grainId.Key is null)
        {
            throw new ArgumentException("The grain id is the default value; create it with new GrainId(type, key).", paramName);
        }
    }

    public static void ValidateName(string name, string what, string paramName)
    {
        ArgumentNullException.ThrowIfNull(name, paramName);
        if (name.Length == 0)
        {
            throw new ArgumentException($"The {what} must not be empty.", paramName);
        }
    }

    public static void ValidateWrite(in GrainStateWrite write)
    {
        ValidateGrainId(write.GrainId, nameof(write));
        ValidateName(write.StateName, "state name", nameof(write));
    }

    public static void ValidateClear(in GrainStateClear clear)
    {
        ValidateGrainId(clear.GrainId, nameof(clear));
        ValidateName(clear.StateName, "state name", nameof(clear));
    }

    public static void ValidateReminder(ReminderEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ValidateGrainId(entry.GrainId, nameof(entry));
        ValidateName(entry.Name, "reminder name", nameof(entry));
        if (entry.Period < TimeSpan.Zero)
        {
            throw new ArgumentException($"Reminder period {entry.Period} is negative; it must be zero or more.", nameof(entry));
        }
    }
}
