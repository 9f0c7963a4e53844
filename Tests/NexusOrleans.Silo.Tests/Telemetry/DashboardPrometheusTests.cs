using System.Text.Json;
using System.Text.RegularExpressions;
using NexusOrleans.Protocol.Identity;
using NexusOrleans.Silo.Tests.Cluster;
using NexusOrleans.Testing.Postgres;

namespace NexusOrleans.Silo.Tests.Telemetry;

/// <summary>
/// The Grafana dashboard shipped with the chart, checked as an operator would meet it: a real Prometheus scrapes a
/// running silo and a gateway process while phones chat through both, and every PromQL expression of every panel must
/// parse and return data. A panel over a metric nobody publishes, a misspelt label or a unit suffix the exposition does
/// not produce fails here.
/// </summary>
[Trait("Category", "E2E")]
public sealed partial class DashboardPrometheusTests(ITestOutputHelper output)
{
    // What Grafana puts in for $__rate_interval with a 1 s scrape interval would be 4 s; a little more keeps two samples
    // in every window on two busy cores.
    private const string RateInterval = "10s";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Dashboard_EveryPanelExpression_ParsesAndReturnsDataFromAScrapedSiloAndGateway()
    {
        var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(DashboardPath, TestContext.Current.CancellationToken)).RootElement;
        var expressions = PanelExpressions(dashboard).ToList();
        Assert.NotEmpty(expressions);

        var database = await (await PostgresServer.GetSharedAsync()).CreateDatabaseAsync(TestContext.Current.CancellationToken);
        // One operator runs both relays (node 0 in the silo, node 1 in the gateway process) under one genesis-funded stake,
        // so the relay panels (registration, heartbeats, canaries) have data within seconds.
        var keys = Directory.CreateTempSubdirectory("nexus-dashboard-keys-");
        var operatorFile = Path.Combine(keys.FullName, "operator.mnemonic");
        var mnemonic = Bip39.Generate(128);
        await File.WriteAllTextAsync(operatorFile, mnemonic, TestContext.Current.CancellationToken);
        using var wallet = EvmWallet.FromMnemonic(mnemonic);
        await using var silo = ClusterProcess.StartSilo("The silo",
        [
            "--Storage:Provider=postgres",
            $"--Storage:Postgres:ConnectionString={database}",
            "--Cluster:Enabled=true",
            $"--Relay:MnemonicFile={operatorFile}",
            $"--Ledger:Genesis:0:Address={wallet.Address}",
            "--Ledger:Genesis:0:Amount=1000000",
            "--Network:HeartbeatInterval=00:00:01",
            "--Relays:StakeRefresh=00:00:01",
            "--Canaries:Interval=00:00:01",
            "--Canaries:Timeout=00:00:05",
        ]);
        await silo.WaitUntilReadyAsync();
        var staked = await IchatRun.RunAsync(keys.FullName, "-m", operatorFile, "stake", "1000000", "--silo", $"http://127.0.0.1:{silo.HttpPort}");
        Assert.True(staked.ExitCode == 0, $"ichat stake failed: {staked.Output} {staked.Errors}");
        await using var gateway = ClusterProcess.StartGateway("The gateway", [$"--Storage:Postgres:ConnectionString={database}", $"--Relay:MnemonicFile={operatorFile}", "--Relay:NodeIndex=1"]);
        await gateway.WaitUntilReadyAsync();
        await using var prometheus = await PrometheusServer.StartAsync(new Dictionary<string, string>
        {
            ["nexus-silo"] = $"127.0.0.1:{silo.HttpPort}",
            ["nexus-gateway"] = $"127.0.0.1:{gateway.HttpPort}",
        });
        await using var load = await PhoneLoad.ConnectAsync(4, [silo.WebSocketAddress, gateway.WebSocketAddress]);
        load.Start();

        // The first samples are queryable a few seconds after Prometheus starts: both targets up, then traffic.
        await TestCluster.WaitUntilAsync(async () => (await prometheus.QueryAsync("up == 1")).GetArrayLength() == 2, "Prometheus has scraped both targets", Patience);
        await TestCluster.WaitUntilAsync(() => Task.FromResult(load.Shown.Count >= 20), "20 messages shown to phones", Patience);

        var variables = await VariablesAsync(dashboard, prometheus);
        output.WriteLine("Variables: " + string.Join("; ", variables.Select(variable => $"{variable.Key} = {variable.Value}")));
        var failures = new List<string>();
        foreach (var (panel, expression) in expressions)
        {
            var query = Substitute(expression, variables);
            try
            {
                await TestCluster.WaitUntilAsync(async () => (await prometheus.QueryAsync(query)).GetArrayLength() > 0, $"'{panel}' returns data", Patience);
                output.WriteLine($"ok   {panel}: {query}");
            }
            catch (Exception exception) when (exception is TimeoutException or InvalidOperationException)
            {
                failures.Add($"{panel}: {query}: {exception.Message}");
            }
        }

        foreach (var metric in expressions.SelectMany(entry => MetricNames().Matches(entry.Expression).Select(match => match.Value)).Distinct())
        {
            if ((await prometheus.QueryAsync($"count({{__name__=\"{metric}\"}})")).GetArrayLength() == 0)
            {
                failures.Add($"{metric} is not published by the silo or the gateway");
            }
        }

        keys.Delete(recursive: true);
        Assert.True(failures.Count == 0, "Dashboard expressions without data:\n" + string.Join('\n', failures)
                                         + "\nSilo log tail:\n" + string.Join('\n', silo.Log.TakeLast(20)));
    }

    /// <summary>Every panel target's expression, with the panel's title.</summary>
    private static IEnumerable<(string Panel, string Expression)> PanelExpressions(JsonElement dashboard) =>
        from panel in dashboard.GetProperty("panels").EnumerateArray()
        where panel.TryGetProperty("targets", out _)
        from target in panel.GetProperty("targets").EnumerateArray()
        select (panel.GetProperty("title").GetString()!, target.GetProperty("expr").GetString()!);

    /// <summary>
    /// Each query variable set as Grafana sets a multi-value variable with every value selected: the values its
    /// label_values(metric, label) query finds, as a regex alternation.
    /// </summary>
    private static async Task<Dictionary<string, string>> VariablesAsync(JsonElement dashboard, PrometheusServer prometheus)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal) { ["__rate_interval"] = RateInterval };
        foreach (var variable in dashboard.GetProperty("templating").GetProperty("list").EnumerateArray())
        {
            if (variable.GetProperty("type").GetString() != "query")
            {
                continue;
            }

            var name = variable.GetProperty("name").GetString()!;
            var definition = LabelValuesQuery().Match(variable.GetProperty("definition").GetString()!);
            Assert.True(definition.Success, $"Variable {name} is not a label_values(metric, label) query.");
            IReadOnlyList<string> values = [];
            await TestCluster.WaitUntilAsync(async () => (values = await prometheus.LabelValuesAsync(definition.Groups[1].Value, definition.Groups[2].Value)).Count > 0,
                $"variable {name} has values", Patience);
            // Grafana escapes regex characters for Prometheus, and the backslash again inside the PromQL string.
            variables[name] = string.Join('|', values.Select(value => Regex.Escape(value).Replace(@"\", @"\\", StringComparison.Ordinal)));
        }

        return variables;
    }

    private static string Substitute(string expression, IReadOnlyDictionary<string, string> variables) =>
        VariableReference().Replace(expression, match =>
        {
            var name = match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value;
            return variables.TryGetValue(name, out var value) ? value : throw new InvalidOperationException($"The dashboard uses ${name}, which it does not define.");
        });

    private static string DashboardPath => Path.Combine(SiloProcess.RepositoryRoot, "helm", "nexus-orleans", "dashboards", "nexus-orleans.json");

    [GeneratedRegex(@"\$\{(\w+)\}|\$(\w+)")]
    private static partial Regex VariableReference();

    [GeneratedRegex(@"^label_values\(\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*,\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\)$")]
    private static partial Regex LabelValuesQuery();

    [GeneratedRegex(@"\b(?:nexus|process|dotnet)_[a-z0-9_]+\b")]
    private static partial Regex MetricNames();
}
