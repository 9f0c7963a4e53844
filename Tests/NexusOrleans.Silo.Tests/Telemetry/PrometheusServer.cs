using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using NexusOrleans.Testing;

namespace NexusOrleans.Silo.Tests.Telemetry;

/// <summary>
/// The Debian <c>prometheus</c> binary, started for one test: its configuration (a 1 s scrape interval, one job per
/// target) and its database in a temporary directory, its web API on a free port of 127.0.0.1; queried through the HTTP
/// API as Grafana queries it.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    public const string Binary = "/usr/bin/prometheus";

    private readonly ChildProcess _process;
    private readonly string _directory;
    private readonly HttpClient _http;

    private PrometheusServer(ChildProcess process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
    }

    public IEnumerable<string> Log => _process.Output.Concat(_process.Errors);

    /// <summary>Starts Prometheus scraping <c>/metrics</c> of each target (job name → host:port) every second.</summary>
    public static async Task<PrometheusServer> StartAsync(IReadOnlyDictionary<string, string> targets)
    {
        if (!File.Exists(Binary))
        {
            throw new FileNotFoundException("Prometheus is not installed: apt-get install -y --no-install-recommends prometheus (test.sh does this as root).", Binary);
        }

        var directory = Directory.CreateTempSubdirectory("nexus-prometheus-").FullName;
        var jobs = string.Concat(targets.Select(target => $"""
              - job_name: {target.Key}
                metrics_path: /metrics
                static_configs:
                  - targets: ["{target.Value}"]

            """));
        await File.WriteAllTextAsync(Path.Combine(directory, "prometheus.yml"), $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            scrape_configs:
            {jobs}
            """);
        var port = LoopbackPort.Free();
        var process = ChildProcess.Start("Prometheus", directory,
        [
            Binary,
            $"--config.file={Path.Combine(directory, "prometheus.yml")}",
            $"--storage.tsdb.path={Path.Combine(directory, "data")}",
            $"--web.listen-address=127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
        ]);
        var server = new PrometheusServer(process, directory, port);
        await process.WaitForLine("Server is ready to receive web requests");
        return server;
    }

    /// <summary>Evaluates <paramref name="promQl"/> now (/api/v1/query); throws with Prometheus' error when it does not parse.</summary>
    public async Task<JsonElement> QueryAsync(string promQl)
    {
        using var response = await _http.GetAsync("/api/v1/query?query=" + Uri.EscapeDataString(promQl));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (body.GetProperty("status").GetString() != "success")
        {
            throw new InvalidOperationException($"Prometheus refused '{promQl}': {body.GetProperty("errorType")} {body.GetProperty("error")}");
        }

        return body.GetProperty("data").GetProperty("result");
    }

    /// <summary>The values of <paramref name="label"/> on the series of <paramref name="metric"/> (Grafana's label_values).</summary>
    public async Task<IReadOnlyList<string>> LabelValuesAsync(string metric, string label)
    {
        var result = await QueryAsync($"count by ({label}) ({metric})");
        return [.. result.EnumerateArray().Select(series => series.GetProperty("metric").GetProperty(label).GetString()!).Order(StringComparer.Ordinal)];
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _process.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the dying process; the temp directory is cleaned up by the system.
        }
    }
}
