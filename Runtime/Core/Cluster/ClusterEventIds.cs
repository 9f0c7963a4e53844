namespace NexusOrleans.Runtime.Cluster;

/// <summary>
/// Event ids of the cluster's log messages (membership, leases, handoff): the runtime's cluster code owns 2700–2799.
/// Kept in one place so they stay unique and never change meaning; dashboards and alerts select on them.
/// </summary>
internal static class ClusterEventIds
{
    public const int Joined = 2701;
    public const int PartitionsGained = 2702;
    public const int PartitionsLost = 2703;
    public const int HeartbeatFailed = 2704;
    public const int SelfFenced = 2705;
    public const int MembersDeclaredDead = 2706;
    public const int SelfDeclaredDead = 2707;
    public const int HandoffStarted = 2708;
    public const int Left = 2709;
    public const int LeaveFailed = 2710;
    public const int ChangeHandlerFailed = 2711;
    public const int HandoffFailed = 2712;
    public const int AcquireFailed = 2713;
    public const int ViewReadFailed = 2714;
    public const int ViewRestored = 2715;
    public const int ViewPartitionCountMismatch = 2716;
    public const int Rejoined = 2717;
}
