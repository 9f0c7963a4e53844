using System.Buffers;
using System.Globalization;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace NexusOrleans.Benchmarks.Chat;

/// <summary>
/// Reference (b) of the chat suite, the server side: a bare ASP.NET Core WebSocket echo on Kestrel, run as a child
/// process of this program (<c>chat echo-server PORT</c>) with the same collector settings as the silo. Each connection
/// waits for a message with a zero-byte receive, reads it into a 4 KiB pooled buffer and writes it back, as the gateway
/// reads its frames; nothing else. The suite also holds idle connections on it, as the baseline of the idle figure.
/// </summary>
internal static class EchoServer
{
    /// <summary>The line the child prints once it listens.</summary>
    public const string ReadyLine = "echo server ready";

    public static async Task<int> RunAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxConcurrentConnections = 16_000;
            kestrel.Limits.MaxConcurrentUpgradedConnections = 16_000;
        });
        builder.Logging.ClearProviders();
        await using var app = builder.Build();
        app.UseWebSockets();
        app.Map("/echo", EchoAsync);
        await app.StartAsync();
        Console.WriteLine(ReadyLine);
        await app.WaitForShutdownAsync();
        return 0;
    }

    private static async Task EchoAsync(HttpContext http)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        try
        {
            while (true)
            {
                var header = await socket.ReceiveAsync(Memory<byte>.Empty, http.RequestAborted);
                if (header.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                    return;
                }

                var buffer = ArrayPool<byte>.Shared.Rent(4096);
                try
                {
                    ValueWebSocketReceiveResult received;
                    do
                    {
                        received = await socket.ReceiveAsync(buffer.AsMemory(), http.RequestAborted);
                        await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, http.RequestAborted);
                    }
                    while (!received.EndOfMessage);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
        }
    }

    /// <summary>Starts the echo server as a child process of this program on a free port; returns it and its URL.</summary>
    public static async Task<(ServerProcess Process, Uri Endpoint)> StartAsync()
    {
        var port = ServerProcess.FreePort();
        var program = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this program is unknown.");
        List<string> arguments = Path.GetFileNameWithoutExtension(program) == "dotnet" ? [typeof(EchoServer).Assembly.Location] : [];
        arguments.AddRange(["chat", "echo-server", port.ToString(CultureInfo.InvariantCulture)]);
        var process = await ServerProcess.StartAsync(program, arguments, Environment.CurrentDirectory, null, ReadyLine, TimeSpan.FromSeconds(30));
        return (process, new Uri($"ws://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/echo"));
    }
}
