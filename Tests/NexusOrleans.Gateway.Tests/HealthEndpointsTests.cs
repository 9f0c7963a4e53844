using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NexusOrleans.Gateway.Hosting;
using NexusOrleans.Testing;

namespace NexusOrleans.Gateway.Tests;

/// <summary>The readiness a load balancer sees while a process stops, on a real Kestrel server.</summary>
public sealed class HealthEndpointsTests
{
    [Fact]
    public async Task Ready_OnceStoppingBegins_Answers503WhileLiveStaysUp()
    {
        var port = LoopbackPort.Free();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Test" });
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        builder.Services.AddHealthChecks().AddStoppingCheck();
        await using var app = builder.Build();
        app.MapHealthEndpoints();
        await app.StartAsync(TestContext.Current.CancellationToken);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var readyBefore = await http.GetAsync("/health/ready", TestContext.Current.CancellationToken);

        // Hold the stop at its first step (the stopping callbacks run before the web server closes), as a slow
        // handoff of grains would, and ask the endpoints what they say meanwhile.
        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var release = new ManualResetEventSlim();
        app.Lifetime.ApplicationStopping.Register(() =>
        {
            stopping.TrySetResult();
            release.Wait(TimeSpan.FromSeconds(30));
        });
        var stop = Task.Run(() => app.StopAsync(), TestContext.Current.CancellationToken);
        await stopping.Task.WaitAsync(Poll.DefaultPatience, TestContext.Current.CancellationToken);
        var readyWhileStopping = await http.GetAsync("/health/ready", TestContext.Current.CancellationToken);
        var liveWhileStopping = await http.GetAsync("/health/live", TestContext.Current.CancellationToken);
        release.Set();
        await stop;

        Assert.Equal(HttpStatusCode.OK, readyBefore.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readyWhileStopping.StatusCode);
        Assert.Contains("stopping", await readyWhileStopping.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, liveWhileStopping.StatusCode);
    }
}
