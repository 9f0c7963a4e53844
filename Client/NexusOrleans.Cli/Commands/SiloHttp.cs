using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace NexusOrleans.Cli.Commands;

/// <summary>The silo answered with an error status; <see cref="Exception.Message"/> is its own explanation.</summary>
internal sealed class SiloRefusedException(HttpStatusCode status, string message, JsonElement? body) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;

    /// <summary>The JSON the silo answered with, when it was JSON.</summary>
    public JsonElement? Body { get; } = body;
}

/// <summary>
/// JSON over HTTP to a silo's <c>/v1/…</c> endpoints. An unreachable or silent silo and an error status become exceptions
/// whose message says what happened, for the commands to print.
/// </summary>
internal sealed class SiloHttp : IDisposable
{
    public const string DefaultSilo = "http://127.0.0.1:8080";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly HttpClient _http;

    private SiloHttp(Uri baseAddress) => _http = new HttpClient { BaseAddress = baseAddress, Timeout = System.Threading.Timeout.InfiniteTimeSpan };

    public Uri BaseAddress => _http.BaseAddress!;

    /// <summary>A client for the silo at <paramref name="silo"/>, an http:// or https:// URL.</summary>
    public static SiloHttp Create(string? silo)
    {
        var text = string.IsNullOrWhiteSpace(silo) ? DefaultSilo : silo.Trim();
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"--silo '{text}' is not an http:// or https:// URL (such as {DefaultSilo}).");
        }

        return new SiloHttp(uri);
    }

    public Task<JsonElement> GetAsync(string path, CancellationToken cancellation) =>
        SendAsync(() => new HttpRequestMessage(HttpMethod.Get, path), cancellation);

    public Task<JsonElement> PostAsync<TBody>(string path, TBody body, CancellationToken cancellation) =>
        SendAsync(() => new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body, options: JsonSerializerOptions.Web) }, cancellation);

    public void Dispose() => _http.Dispose();

    private async Task<JsonElement> SendAsync(Func<HttpRequestMessage> request, CancellationToken cancellation)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(Timeout);
        using var message = request();
        var where = new Uri(BaseAddress, message.RequestUri!);
        try
        {
            using var response = await _http.SendAsync(message, timeout.Token);
            var text = await response.Content.ReadAsStringAsync(timeout.Token);
            var json = TryParse(text);
            if (response.IsSuccessStatusCode && json is { } answer)
            {
                return answer;
            }

            var reason = json is { ValueKind: JsonValueKind.Object } body && body.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String
                ? error.GetString()!
                : $"{(int)response.StatusCode} {response.ReasonPhrase} from {where}";
            throw new SiloRefusedException(response.StatusCode, reason, json);
        }
        catch (HttpRequestException exception)
        {
            throw new IOException($"Cannot reach the silo at {BaseAddress} ({exception.Message}). Is it running? Pass its URL with --silo.", exception);
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            throw new IOException($"The silo at {BaseAddress} did not answer {message.Method} {message.RequestUri} within {Timeout.TotalSeconds:0} s.");
        }
    }

    private static JsonElement? TryParse(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
