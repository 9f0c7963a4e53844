namespace NexusOrleans.Runtime;

/// <summary>
/// A state write or clear was refused because the stored version is not the one the writer based it on.
/// Nothing was changed. Re-read the state, re-apply the change, and write again.
/// </summary>
public sealed class InconsistentStateException : Exception
{
    /// <summary>Creates the exception for a refused write.</summary>
    public InconsistentStateException(GrainId grainId, string stateName, string? expectedETag, string? storedETag)
        : base($"State '{stateName}' of grain {grainId} was not written: this writer based it on version {Describe(expectedETag)} " +
               $"but the stored version is {Describe(storedETag)}, so another writer changed it. Nothing was written; re-read and retry.")
    {
        GrainId = grainId;
        StateName = stateName;
        ExpectedETag = expectedETag;
        StoredETag = storedETag;
    }

    /// <summary>Re-creates the exception from another process's answer, which carries the grain and the message only.</summary>
    internal InconsistentStateException(GrainId grainId, string message)
        : base(message)
    {
        GrainId = grainId;
        StateName = string.Empty;
    }

    /// <summary>The grain whose state was not written.</summary>
    public GrainId GrainId { get; }

    /// <summary>The name of the state.</summary>
    public string StateName { get; }

    /// <summary>The version the writer held (null: it believed no row existed).</summary>
    public string? ExpectedETag { get; }

    /// <summary>The version found in storage (null: no row), when the store reports it.</summary>
    public string? StoredETag { get; }

    private static string Describe(string? eTag) => eTag is null ? "'none'" : $"'{eTag}'";
}
