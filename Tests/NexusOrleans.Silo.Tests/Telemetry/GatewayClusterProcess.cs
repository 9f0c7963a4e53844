using System.Globalization;
using NexusOrleans.Testing;

namespace NexusOrleans.Silo.Tests.Telemetry;

/// <summary>
/// A gateway process (<c>dotnet NexusOrleans.Gateway.dll</c>, the build the tests were built with) joining a test
/// cluster's database as a client, on free ports of 127.0.0.1, in its own working directory.
/// </summary>
public sealed class GatewayClusterProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private GatewayClusterProcess(ChildProcess process, string workingDirectory, int httpPort)
    {
        _process = process;
        WorkingDirectory = workingDirectory;
        HttpPort = httpPort;
    }

    public string WorkingDirectory { get; }

    public int HttpPort { get; }

    public Uri WebSocketAddress => new($"ws://127.0.0.1:{HttpPort}/v1/ws");

    public IEnumerable<string> Log => _process.Output.Concat(_process.Errors);

    public static GatewayClusterProcess Start(string connectionString, IEnumerable<string> settings)
    {
        var workingDirectory = Directory.CreateTempSubdirectory("nexus-gateway-").FullName;
        var httpPort = LoopbackPort.Free();
        var process = ChildProcess.Start("The gateway", workingDirectory,
        [
            "dotnet", GatewayDll,
            "--urls", $"http://127.0.0.1:{httpPort.ToString(CultureInfo.InvariantCulture)}",
            "--Logging:Console:FormatterName=simple",
            $"--Storage:Postgres:ConnectionString={connectionString}",
            "--Cluster:Host=127.0.0.1",
            $"--Cluster:Port={LoopbackPort.Free().ToString(CultureInfo.InvariantCulture)}",
            .. settings,
        ]);
        return new GatewayClusterProcess(process, workingDirectory, httpPort);
    }

    public Task WaitUntilReadyAsync() => _process.WaitForLine("Gateway ready");

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        try
        {
            Directory.Delete(WorkingDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the dying process; the temp directory is cleaned up by the system.
        }
    }

    /// <summary>The gateway assembly of the configuration these tests were built with (bin/&lt;Configuration&gt;/net10.0).</summary>
    private static string GatewayDll
    {
        get
        {
            var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var configuration = framework.Parent!.Name;
            var dll = Path.Combine(SiloProcess.RepositoryRoot, "Gateway", "bin", configuration, framework.Name, "NexusOrleans.Gateway.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build the gateway ({configuration}) before these tests.", dll);
        }
    }
}
