using Microsoft.Extensions.Options;

namespace NexusOrleans.Gateway.Hosting;

/// <summary>The phone-facing WebSocket endpoint (configuration section <c>Gateway</c>).</summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Gateway";

    /// <summary>Where phones connect.</summary>
    public string Path { get; set; } = "/v1/ws";

    /// <summary>The URL phones are told to use for this relay (in <c>hello</c> and relay lists); derived from the request when empty.</summary>
    public string? PublicEndpoint { get; set; }

    /// <summary>Largest WebSocket message accepted; a larger one is answered <c>too-large</c> and discarded.</summary>
    public int MaxFrameBytes { get; set; } = 128 * 1024;

    /// <summary>Largest envelope accepted (the protocol's default is 64 KiB).</summary>
    public int MaxEnvelopeBytes { get; set; } = 64 * 1024;

    /// <summary>How long a new connection has to authenticate.</summary>
    public TimeSpan AuthenticationTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Failed <c>auth</c> frames tolerated on one connection before it is closed.</summary>
    public int MaxAuthenticationFailures { get; set; } = 3;

    /// <summary>How far in the future an envelope's created-at may be (phones' clocks drift).</summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Interval of WebSocket pings to each phone.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>A phone that does not answer a ping within this time is disconnected.</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Frames waiting to be written to one phone; a phone that lets it fill is disconnected (its messages stay in its inbox).</summary>
    public int SendQueueCapacity { get; set; } = 256;

    /// <summary>
    /// How often a connection renews its subscription to its inbox (must be shorter than the inbox's observer expiration).
    /// Sized for that expiration, not for failover: a moved inbox is followed within <see cref="SubscriptionCheckPeriod"/>.
    /// </summary>
    public TimeSpan SubscriptionRenewal { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How often the gateway checks whether a connected phone's inbox moved to another silo (or its subscription failed)
    /// and subscribes it again there; pushes resume within about this plus one cluster heartbeat after a move.
    /// </summary>
    public TimeSpan SubscriptionCheckPeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Frames per authenticated identity, across all its connections to this relay.</summary>
    public RateLimit PerIdentity { get; set; } = new() { PermitsPerSecond = 50, Burst = 200 };

    /// <summary>Connection attempts and frames before authentication, per remote IP address.</summary>
    public RateLimit PerAddress { get; set; } = new() { PermitsPerSecond = 100, Burst = 2000 };

    /// <summary>
    /// Other relays this one lists to phones in the <c>relays</c> frame besides the cluster directory's live relays (relays
    /// not registered with this cluster, say). They are not in the signed list of <see cref="RelayListPath"/>.
    /// </summary>
    public List<RelayEndpoint> Peers { get; set; } = [];

    /// <summary>Where the signed list of the cluster's live relays is served (HTTP GET).</summary>
    public string RelayListPath { get; set; } = "/v1/relays";

    /// <summary>
    /// Register this relay with the cluster at start-up and heartbeat, so the directory lists it (needs the operator's
    /// stake). False serves phones without being listed.
    /// </summary>
    public bool RegisterRelay { get; set; } = true;

    /// <summary>How often registration is retried while the network's heartbeat interval cannot be read from the cluster.</summary>
    public TimeSpan RegistrationRetryInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long the gateway uses the network parameters (fees, free messages) it read before reading them again: a
    /// governance change reaches phones within this time, and the send path reads memory instead of the cluster.
    /// </summary>
    public TimeSpan ParametersRefresh { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A token bucket.</summary>
    public sealed class RateLimit
    {
        /// <summary>Sustained rate.</summary>
        public int PermitsPerSecond { get; set; }

        /// <summary>Bucket size: how many can come at once.</summary>
        public int Burst { get; set; }
    }

    /// <summary>Another relay: its key (64 hex), its WebSocket URL, its operator's wallet if known.</summary>
    public sealed class RelayEndpoint
    {
        public string Key { get; set; } = string.Empty;

        public string Endpoint { get; set; } = string.Empty;

        public string? Wallet { get; set; }
    }
}

/// <summary>Checks <see cref="GatewayOptions"/> at start-up, naming the setting and what is allowed.</summary>
internal sealed class GatewayOptionsValidator : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        var failures = new List<string>();
        if (!options.Path.StartsWith('/'))
        {
            failures.Add($"Gateway:Path is '{options.Path}'; it must start with '/'.");
        }

        if (!options.RelayListPath.StartsWith('/') || options.RelayListPath == options.Path)
        {
            failures.Add($"Gateway:RelayListPath is '{options.RelayListPath}'; it must start with '/' and differ from Gateway:Path.");
        }

        if (options.PublicEndpoint is { Length: > 0 } publicEndpoint
            && (!Uri.TryCreate(publicEndpoint, UriKind.Absolute, out var publicUri) || publicUri.Scheme is not ("ws" or "wss")))
        {
            failures.Add($"Gateway:PublicEndpoint is '{publicEndpoint}'; it must be a ws:// or wss:// URL (or empty to derive it from the request).");
        }

        if (options.MaxEnvelopeBytes is < 1024 or > 16 * 1024 * 1024)
        {
            failures.Add($"Gateway:MaxEnvelopeBytes is {options.MaxEnvelopeBytes}; use 1024 to 16777216.");
        }

        // An envelope travels base64-encoded inside a JSON frame: 4/3 of its size plus the frame's own fields.
        var smallestFrame = (options.MaxEnvelopeBytes + 2) / 3 * 4 + 256;
        if (options.MaxFrameBytes < smallestFrame)
        {
            failures.Add($"Gateway:MaxFrameBytes is {options.MaxFrameBytes}; it must be at least {smallestFrame} to carry an envelope of Gateway:MaxEnvelopeBytes ({options.MaxEnvelopeBytes}).");
        }

        RequirePositive(options.AuthenticationTimeout, "AuthenticationTimeout", failures);
        RequirePositive(options.KeepAliveInterval, "KeepAliveInterval", failures);
        RequirePositive(options.KeepAliveTimeout, "KeepAliveTimeout", failures);
        RequirePositive(options.SubscriptionRenewal, "SubscriptionRenewal", failures);
        RequirePositive(options.SubscriptionCheckPeriod, "SubscriptionCheckPeriod", failures);
        RequirePositive(options.RegistrationRetryInterval, "RegistrationRetryInterval", failures);
        RequirePositive(options.ParametersRefresh, "ParametersRefresh", failures);
        if (options.MaxClockSkew < TimeSpan.Zero)
        {
            failures.Add($"Gateway:MaxClockSkew is {options.MaxClockSkew}; it cannot be negative.");
        }

        if (options.MaxAuthenticationFailures < 1)
        {
            failures.Add($"Gateway:MaxAuthenticationFailures is {options.MaxAuthenticationFailures}; it must be at least 1.");
        }

        if (options.SendQueueCapacity < 8)
        {
            failures.Add($"Gateway:SendQueueCapacity is {options.SendQueueCapacity}; it must be at least 8.");
        }

        RequireRate(options.PerIdentity, "PerIdentity", failures);
        RequireRate(options.PerAddress, "PerAddress", failures);
        for (var i = 0; i < options.Peers.Count; i++)
        {
            var peer = options.Peers[i];
            if (!NexusOrleans.Protocol.Identity.PublicKey.TryParse(peer.Key, out _))
            {
                failures.Add($"Gateway:Peers:{i}:Key is not 64 hex characters (a relay's Ed25519 public key).");
            }

            if (!Uri.TryCreate(peer.Endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("ws" or "wss"))
            {
                failures.Add($"Gateway:Peers:{i}:Endpoint is '{peer.Endpoint}'; it must be a ws:// or wss:// URL.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void RequirePositive(TimeSpan value, string setting, List<string> failures)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"Gateway:{setting} is {value}; it must be positive.");
        }
    }

    private static void RequireRate(GatewayOptions.RateLimit limit, string setting, List<string> failures)
    {
        if (limit.PermitsPerSecond < 1 || limit.Burst < 1)
        {
            failures.Add($"Gateway:{setting} is {limit.PermitsPerSecond}/s with a burst of {limit.Burst}; both must be at least 1.");
        }
    }
}
