using System.Collections.Concurrent;
using System.Diagnostics;
using NexusOrleans.Gateway.Tests.Support;
using NexusOrleans.Protocol.Wire;
using NexusOrleans.Runtime.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace NexusOrleans.Gateway.Tests.Telemetry;

/// <summary>A message's path through a silo with its gateway, as the spans an OTLP collector would receive.</summary>
public sealed class MessageTraceTests
{
    [Fact]
    public async Task Send_ToAnOnlineRecipient_ProducesReceiveDepositAndPushSpansInOneTrace()
    {
        var exported = new ConcurrentQueue<Activity>();
        using var tracer = Sdk.CreateTracerProviderBuilder()
            .AddSource(NexusTelemetry.ActivitySourceName)
            .AddProcessor(new SimpleActivityExportProcessor(new CollectingExporter(exported)))
            .Build();
        await using var cluster = await RelayCluster.StartAsync();
        await using var alice = await RawPhone.ConnectAsync(cluster.Endpoints[0]);
        await using var bob = await RawPhone.ConnectAsync(cluster.Endpoints[0]);
        var envelope = Envelopes.Seal(alice.Keys, bob.Keys.Identity, "traced", cluster.Clock.GetUtcNow());

        Assert.Equal(FrameTypes.Ok, (await alice.RequestAsync(Envelopes.SendFrame(envelope))).Type);
        await bob.NextDeliveryAsync();

        // Other tests of this process may trace at the same time: follow this message's trace only.
        var receive = await SpanAsync(exported, span => span.OperationName == "gateway receive"
                                                        && (string?)span.GetTagItem("nexus.message_id") == envelope.Id.ToString());
        var deposit = await SpanAsync(exported, span => span.OperationName == "inbox deposit" && span.ParentSpanId == receive.SpanId);
        var push = await SpanAsync(exported, span => span.OperationName == "delivery push" && span.TraceId == receive.TraceId);
        // The push follows the deposit: directly, or through the observer call's span when the deposit ended first.
        var parent = exported.First(span => span.SpanId == push.ParentSpanId);
        Assert.True(parent.SpanId == deposit.SpanId || parent.ParentSpanId == deposit.SpanId,
            $"The push's parent is {parent.OperationName}, neither the deposit nor a call it made.");
        Assert.Equal(receive.TraceId, deposit.TraceId);
        Assert.Equal(receive.TraceId, push.TraceId);
        Assert.Equal(ActivityKind.Server, receive.Kind);
        Assert.Equal(ActivityKind.Producer, push.Kind);
    }

    private static async Task<Activity> SpanAsync(ConcurrentQueue<Activity> exported, Func<Activity, bool> match)
    {
        await NexusOrleans.Testing.Poll.UntilAsync(() => Task.FromResult(exported.Any(match)), "the span is exported", TimeSpan.FromSeconds(10));
        return exported.First(match);
    }

    private sealed class CollectingExporter(ConcurrentQueue<Activity> exported) : BaseExporter<Activity>
    {
        public override ExportResult Export(in Batch<Activity> batch)
        {
            foreach (var activity in batch)
            {
                exported.Enqueue(activity);
            }

            return ExportResult.Success;
        }
    }
}
