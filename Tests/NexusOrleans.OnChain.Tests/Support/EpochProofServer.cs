using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NexusOrleans.Grains.Ledger;
using NexusOrleans.Protocol.Settlement;

namespace NexusOrleans.OnChain.Tests.Support;

/// <summary>
/// Kestrel on 127.0.0.1 answering <c>GET /v1/epochs</c> and <c>GET /v1/epochs/{key}/{operator}</c> with the JSON the
/// silo's EpochEndpoints write, for one closed epoch whose batch is <paramref name="tree"/>; with
/// <c>chainEpoch</c> added when given, as the anchoring work adds it.
/// </summary>
public sealed class EpochProofServer(WebApplication app, Uri address) : IAsyncDisposable
{
    public Uri Address { get; } = address;

    public static async Task<EpochProofServer> StartAsync(string key, EpochBatchTree tree, ulong? chainEpoch = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/v1/epochs", () => Results.Ok(new { lastClosed = key }));
        app.MapGet("/v1/epochs/{hour}/{operator}", (string hour, string @operator) =>
        {
            var index = tree.Leaves.ToList().FindIndex(leaf => leaf.Operator.Equals(@operator, StringComparison.OrdinalIgnoreCase));
            if (hour != key || index < 0)
            {
                return Results.NotFound(new { error = $"Operator {@operator} earned and lost nothing in the epoch of {hour}." });
            }

            var leaf = tree.Leaves[index];
            var line = new
            {
                @operator = leaf.Operator.ToLowerInvariant(),
                reward = leaf.Reward.ToString(CultureInfo.InvariantCulture),
                rewardIchat = Tokens.Format(leaf.Reward),
                slash = leaf.Slash.ToString(CultureInfo.InvariantCulture),
                slashIchat = Tokens.Format(leaf.Slash),
                proof = tree.GetProof(index).Select(step => "0x" + Convert.ToHexStringLower(step)).ToArray(),
            };
            return chainEpoch is { } number
                ? Results.Ok(new { hour = key, chainEpoch = number, root = tree.RootHex, leaf = line })
                : Results.Ok(new { hour = key, root = tree.RootHex, leaf = line });
        });
        await app.StartAsync();
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new EpochProofServer(app, new Uri(bound));
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
