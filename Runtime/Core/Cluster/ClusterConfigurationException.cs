namespace NexusOrleans.Runtime.Cluster;

/// <summary>
/// The silo's cluster settings disagree with the cluster it tries to join (for example another partition count); the
/// silo does not start. The message says what is on record and what this silo has.
/// </summary>
public sealed class ClusterConfigurationException(string message) : Exception(message);
