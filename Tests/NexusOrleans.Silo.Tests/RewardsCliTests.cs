using System.Net;
using System.Text;
using NexusOrleans.Testing;

namespace NexusOrleans.Silo.Tests;

/// <summary>
/// <c>ichat rewards</c> printing a reward and its proof. A real silo pays its first reward only after a full hour of
/// service, so here the CLI talks to a stand-in on 127.0.0.1 answering what <c>Silo/Epochs/EpochEndpoints.cs</c> writes;
/// the path through a real silo (no epoch closed yet) is in <see cref="StakeCliTests"/>.
/// </summary>
[Trait("Category", "E2E")]
public sealed class RewardsCliTests : IAsyncDisposable
{
    private const string Operator = "0x9858EfFD232B4033E47d90003D41EC34EcaEda94";
    private readonly string _directory = Directory.CreateTempSubdirectory("nexus-rewards-").FullName;
    private readonly HttpListener _listener = new();
    private readonly List<string> _requested = [];
    private Task? _serving;

    public async ValueTask DisposeAsync()
    {
        _listener.Close();
        if (_serving is not null)
        {
            await _serving;
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Rewards_WithoutHour_PrintsTheLastClosedHoursRewardAndProof()
    {
        var silo = Serve(new Dictionary<string, string>
        {
            ["/v1/epochs"] = """{"lastClosed":"2026-11-21T10"}""",
            [$"/v1/epochs/2026-11-21T10/{Operator}"] =
                """{"hour":"2026-11-21T10","root":"0xd6d5","leaf":{"operator":"0x9858effd232b4033e47d90003d41ec34ecaeda94","reward":"100000000000000000000","rewardIchat":"100","slash":"0","slashIchat":"0","proof":["0x37fb","0x8715"]}}""",
        });

        var rewards = await RunAsync("rewards", "--silo", silo);

        Assert.Equal(0, rewards.ExitCode);
        Assert.Equal(
            string.Join('\n',
                "Epoch:    2026-11-21T10 (UTC)",
                $"Operator: {Operator}",
                "Reward:   100 iChat (100000000000000000000 base units)",
                "Slash:    0 iChat (0 base units)",
                "Root:     0xd6d5",
                "Proof:    0x37fb",
                "          0x8715"),
            rewards.Output);
    }

    [Fact]
    public async Task Rewards_ForAnHourWithoutALine_ExitsOneWithTheSilosReason()
    {
        var silo = Serve([]);

        var rewards = await RunAsync("rewards", "--hour", "2026-11-21T09", "--silo", silo);

        Assert.Equal(1, rewards.ExitCode);
        Assert.Equal($"ichat: Operator {Operator} earned and lost nothing in the epoch of 2026-11-21T09.", rewards.Errors);
        Assert.Equal([$"/v1/epochs/2026-11-21T09/{Operator}"], _requested);
    }

    /// <summary>Answers each path of <paramref name="answers"/> with its JSON, anything else 404 as the silo words it.</summary>
    private string Serve(Dictionary<string, string> answers)
    {
        var url = $"http://127.0.0.1:{LoopbackPort.Free()}/";
        _listener.Prefixes.Add(url);
        _listener.Start();
        _serving = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                var path = context.Request.Url!.AbsolutePath;
                lock (_requested)
                {
                    _requested.Add(path);
                }

                var found = answers.TryGetValue(path, out var json);
                json ??= $$"""{"error":"Operator {{Operator}} earned and lost nothing in the epoch of 2026-11-21T09."}""";
                context.Response.StatusCode = found ? 200 : 404;
                context.Response.ContentType = "application/json; charset=utf-8";
                var body = Encoding.UTF8.GetBytes(json);
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }
        });
        return url.TrimEnd('/');
    }

    private async Task<IchatRun> RunAsync(params string[] arguments)
    {
        var mnemonic = Path.Combine(_directory, "operator.mnemonic");
        await File.WriteAllTextAsync(mnemonic, "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about", TestContext.Current.CancellationToken);
        return await IchatRun.RunAsync(_directory, ["-m", mnemonic, .. arguments]);
    }
}
