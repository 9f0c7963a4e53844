namespace NexusOrleans.Grains;

/// <summary>Names this assembly, whose grain classes the silo hosts. The product's grains arrive with the chat and economy features.</summary>
public static class GrainsAssembly;
