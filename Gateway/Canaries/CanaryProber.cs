// The cluster's measurement of relays: a canary envelope through every live relay, every Canaries:Interval.
//
// What it does. Each tick reads the directory's live relays and, for each one, sends one canary from this silo's probe
// sender to its probe recipient, both connected to that relay only, with the product's own ChatClient. The canary is an
// ordinary sealed envelope with a few random bytes inside, so a relay cannot tell it from a phone's message and cannot
// serve canaries better than mail; the recipient acks it on receipt, which burns it. The random bytes (in hex) are also
// the canary's id in the relay's quality grain, which is told CanarySent before the envelope leaves and
// CanaryDelivered when the recipient's connection to that relay hands it over; the grain judges loss and latency
// (RelayQualityGrain). Times are read from the host's TimeProvider, so tests drive the whole loop with a manual clock.
//
// Failures count against the relay, never against nobody: the send is recorded first, so a relay that cannot be
// reached, refuses the envelope or never delivers it has a canary sent and not delivered, lost at its deadline.
// A failure on the cluster's side (the directory or the quality grain unreachable) sends nothing for that relay in that
// tick, so the relay is not blamed for it. A broken connection is closed and both phones reconnect at the next tick.
//
// Concurrency, and why it cannot race. Ticks run one after another on this loop; within a tick the relays are probed
// in parallel, each through its own RelayProbe, touched by that tick only. Deliveries arrive on the recipients' reader
// loops and meet the sends only in the pending map (a ConcurrentDictionary), where a canary is put before it is sent
// (so a delivery faster than the send's answer still finds it) and taken out exactly once, by TryRemove, by the reader
// of its own relay: the one recipient identity is connected to every relay, so the inbox pushes a canary through all
// of them, and only its own relay's delivery may count. Whether a delivery was in time is not decided here at all:
// the quality grain decides it in its own turns from the recorded cluster times (see its file), so a delivery racing
// its deadline has one answer whatever the thread order.
//
// Identities. One probe sender and one probe recipient per silo, generated at start from fresh random seeds and held in
// memory only; they are never logged, and neither are relay keys (relays are named by endpoint). When the network
// charges fees, the sender comes from Canaries:ProbeMnemonicFile instead and binds that mnemonic's wallet, which pays
// for canaries as any phone pays for its messages (relays cannot tell the difference, by design).
using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NexusOrleans.Client;
using NexusOrleans.Grains.Relays;
using NexusOrleans.Protocol.Identity;
using NexusOrleans.Runtime;

namespace NexusOrleans.Gateway.Canaries;

/// <summary>Sends canaries through every live relay. See the comment at the top of this file.</summary>
internal sealed partial class CanaryProber(
    IGrainFactory grains,
    IOptions<CanaryOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    CanaryMetrics metrics,
    ILogger<CanaryProber> logger) : BackgroundService
{
    /// <summary>Random bytes in a canary: enough to be unique, as small as a short chat message.</summary>
    public const int PayloadBytes = 16;

    /// <summary>
    /// How long relays may keep a canary. A lost one that turns up late (through another relay, or after a reconnect)
    /// is burned then; one that never turns up leaves the probe inbox after this rather than after the 6 h default.
    /// </summary>
    public static readonly TimeSpan CanaryLifetime = TimeSpan.FromMinutes(10);

    private readonly CanaryOptions _options = options.Value;
    private readonly ConcurrentDictionary<string, PendingCanary> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RelayProbe> _probes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _failing = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationToken _stopping;
    private Protocol.Wire.WalletBinding? _senderBinding;

    /// <summary>Completes once the prober's timer runs (the first tick comes one Interval later); for tests.</summary>
    internal Task Ready => _ready.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            LogDisabled(logger);
            _ready.TrySetResult();
            return;
        }

        _stopping = stoppingToken;
        using var sender = ProbeSender(out _senderBinding);
        using var recipient = ChatKeys.FromEd25519Seed(RandomNumberGenerator.GetBytes(32));
        try
        {
            await WaitUntilStartedAsync(stoppingToken);
            using var timer = new PeriodicTimer(_options.Interval, time);
            LogStarted(logger, _options.Interval, _options.Timeout);
            _ready.TrySetResult();
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await TickAsync(sender, recipient);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            // A bug here must not take the silo down; relays go unmeasured (no canaries: no loss or latency faults).
            LogProberFailed(logger, exception.GetType().Name, exception.Message);
        }
        finally
        {
            _ready.TrySetResult();
            foreach (var probe in _probes.Values)
            {
                await probe.DisposeAsync();
            }

            _probes.Clear();
        }
    }

    private async Task TickAsync(ChatKeys sender, ChatKeys recipient)
    {
        var now = time.GetUtcNow();
        foreach (var (id, canary) in _pending)
        {
            if (canary.SentAt + _options.Timeout < now && _pending.TryRemove(id, out _))
            {
                metrics.Lost(canary.RelayKey);
            }
        }

        IReadOnlyList<RelayDirectoryEntry> relays;
        try
        {
            relays = await grains.GetRelayDirectory().List();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogDirectoryUnavailable(logger, exception.GetType().Name, exception.Message);
            return;
        }

        var listed = relays.Select(relay => relay.RelayKey).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in _probes.Keys.Where(key => !listed.Contains(key)).ToArray())
        {
            await _probes[gone].DisposeAsync();
            _probes.Remove(gone);
            _failing.Remove(gone);
        }

        var probes = new List<RelayProbe>(relays.Count);
        foreach (var relay in relays)
        {
            if (!Uri.TryCreate(relay.Endpoint, UriKind.Absolute, out var endpoint))
            {
                continue;
            }

            if (_probes.TryGetValue(relay.RelayKey, out var probe) && probe.Endpoint != endpoint)
            {
                await probe.DisposeAsync();
                probe = null;
            }

            probes.Add(_probes[relay.RelayKey] = probe ?? new RelayProbe(relay.RelayKey, endpoint, sender, recipient, ClientOptions(_senderBinding), ClientOptions(binding: null)));
        }

        var outcomes = await Task.WhenAll(probes.Select(probe => ProbeAsync(probe, recipient.Identity)));
        foreach (var (probe, failure) in probes.Zip(outcomes))
        {
            if (failure is not null && _failing.Add(probe.RelayKey))
            {
                LogRelayUnreachable(logger, probe.Endpoint.ToString(), failure.GetType().Name, failure.Message);
            }
            else if (failure is null && _failing.Remove(probe.RelayKey))
            {
                LogRelayReachable(logger, probe.Endpoint.ToString());
            }
        }
    }

    /// <summary>One canary through one relay; answers the relay's failure, or null when the canary went out (or the cluster could not record it).</summary>
    private async Task<Exception?> ProbeAsync(RelayProbe probe, PublicKey recipient)
    {
        var payload = RandomNumberGenerator.GetBytes(PayloadBytes);
        var id = Convert.ToHexStringLower(payload);
        var sentAt = time.GetUtcNow();
        try
        {
            await grains.GetRelayQuality(probe.RelayKey).CanarySent(id, sentAt);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The cluster's fault, not the relay's: nothing is sent, nothing counts.
            LogRecordingFailed(logger, "sent", exception.GetType().Name, exception.Message);
            return null;
        }

        _pending[id] = new PendingCanary(probe.RelayKey, sentAt);
        metrics.Sent(probe.RelayKey);
        try
        {
            var (client, _, _) = await probe.ConnectAsync(reader => ReadAsync(probe.RelayKey, reader), _stopping);
            await client.SendAsync(recipient, payload, _stopping);
            return null;
        }
        catch (Exception exception) when (!_stopping.IsCancellationRequested)
        {
            // Recorded as sent and never delivered: lost at its deadline.
            _pending.TryRemove(id, out _);
            metrics.Lost(probe.RelayKey);
            await probe.CloseAsync();
            return exception;
        }
    }

    // Runs for as long as the recipient is open: its Messages channel completes when it is disposed.
    private async Task ReadAsync(string relayKey, ChatClient recipient)
    {
        try
        {
            await foreach (var message in recipient.Messages.ReadAllAsync(_stopping))
            {
                var deliveredAt = time.GetUtcNow();
                var id = Convert.ToHexStringLower(message.Plaintext);
                if (_pending.TryGetValue(id, out var canary))
                {
                    if (canary.RelayKey != relayKey || !_pending.TryRemove(new KeyValuePair<string, PendingCanary>(id, canary)))
                    {
                        // Another relay's canary, pushed here too because the recipient is on every relay: its own relay's
                        // reader counts and burns it.
                        continue;
                    }

                    metrics.Delivered(relayKey, deliveredAt - canary.SentAt);
                    await RecordDeliveredAsync(relayKey, id, deliveredAt);
                }

                // Ours, or a late or stray message in the probe inbox: burned either way.
                await AckAsync(recipient, message);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            LogRecordingFailed(logger, "reader", exception.GetType().Name, exception.Message);
        }
    }

    private async Task RecordDeliveredAsync(string relayKey, string id, DateTimeOffset deliveredAt)
    {
        try
        {
            await grains.GetRelayQuality(relayKey).CanaryDelivered(id, deliveredAt);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogRecordingFailed(logger, "delivered", exception.GetType().Name, exception.Message);
        }
    }

    private static async Task AckAsync(ChatClient recipient, ReceivedMessage message)
    {
        try
        {
            await recipient.AckAsync(message.Id);
        }
        catch (Exception exception) when (exception is NotConnectedException or SendFailedException or IOException)
        {
            // The relay dropped: the canary stays in the probe inbox until its short lifetime ends, or the next reader burns it.
        }
    }

    // The probe sender: from Canaries:ProbeMnemonicFile with its wallet bound (it pays fees), else a fresh identity.
    private ChatKeys ProbeSender(out Protocol.Wire.WalletBinding? binding)
    {
        binding = null;
        if (string.IsNullOrEmpty(_options.ProbeMnemonicFile))
        {
            return ChatKeys.FromEd25519Seed(RandomNumberGenerator.GetBytes(32));
        }

        var mnemonic = File.ReadAllText(_options.ProbeMnemonicFile).Trim();
        Bip39.Validate(mnemonic);
        var keys = ChatKeys.FromMnemonic(mnemonic);
        using var wallet = EvmWallet.FromMnemonic(mnemonic);
        binding = Protocol.Wire.WalletBinding.Create(wallet, keys.Identity);
        LogProbeWallet(logger, wallet.Address);
        return keys;
    }

    private ChatClientOptions ClientOptions(Protocol.Wire.WalletBinding? binding) => new()
    {
        WalletBinding = binding,
        TargetConnections = 1,
        DiscoverRelays = false,
        ConnectTimeout = _options.Timeout,
        RequestTimeout = _options.Timeout,
        MessageLifetime = CanaryLifetime,
        TimeProvider = time,
    };

    private async Task WaitUntilStartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using var onStopping = stoppingToken.Register(() => started.TrySetCanceled(stoppingToken));
        await started.Task;
    }

    private sealed record PendingCanary(string RelayKey, DateTimeOffset SentAt);

    [LoggerMessage(EventId = 3710, Level = LogLevel.Information, Message = "Canary prober started: one canary through every live relay every {Interval}, lost after {Timeout}")]
    private static partial void LogStarted(ILogger logger, TimeSpan interval, TimeSpan timeout);

    [LoggerMessage(EventId = 3711, Level = LogLevel.Information, Message = "Canary prober is off (Canaries:Enabled is false): this silo does not measure relays")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(EventId = 3712, Level = LogLevel.Warning, Message = "Canary through relay {Endpoint} failed ({ExceptionType}: {Reason}); it counts as lost, and every canary until the relay answers again")]
    private static partial void LogRelayUnreachable(ILogger logger, string endpoint, string exceptionType, string reason);

    [LoggerMessage(EventId = 3713, Level = LogLevel.Information, Message = "Canaries go through relay {Endpoint} again")]
    private static partial void LogRelayReachable(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 3714, Level = LogLevel.Warning, Message = "Canary prober could not read the relay directory ({ExceptionType}: {Reason}); no canaries this tick")]
    private static partial void LogDirectoryUnavailable(ILogger logger, string exceptionType, string reason);

    [LoggerMessage(EventId = 3715, Level = LogLevel.Warning, Message = "Canary prober could not record a canary ({Step}: {ExceptionType}: {Reason})")]
    private static partial void LogRecordingFailed(ILogger logger, string step, string exceptionType, string reason);

    [LoggerMessage(EventId = 3717, Level = LogLevel.Information, Message = "Canary prober pays fees from wallet {Wallet} (Canaries:ProbeMnemonicFile); keep it funded")]
    private static partial void LogProbeWallet(ILogger logger, string wallet);

    [LoggerMessage(EventId = 3716, Level = LogLevel.Error, Message = "Canary prober stopped by an unexpected {ExceptionType}: {Reason}; relays go unmeasured until the silo restarts")]
    private static partial void LogProberFailed(ILogger logger, string exceptionType, string reason);
}
