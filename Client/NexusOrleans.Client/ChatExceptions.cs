namespace NexusOrleans.Client;

/// <summary>The phone has no live relay connection, so the message was dropped (iChat keeps no outbox on the phone).</summary>
public sealed class NotConnectedException(string message) : Exception(message);

/// <summary>A relay answered a request with an error frame.</summary>
public sealed class RelayException(string code, string message, Uri relay) : Exception($"{relay}: {code}: {message}")
{
    /// <summary>The machine-readable code (see <c>ErrorCodes</c>).</summary>
    public string Code { get; } = code;

    /// <summary>The relay that answered.</summary>
    public Uri Relay { get; } = relay;
}

/// <summary>No relay accepted the message; <see cref="Failures"/> holds each relay's reason.</summary>
public sealed class SendFailedException(IReadOnlyList<Exception> failures)
    : Exception("No relay accepted the message: " + string.Join("; ", failures.Select(failure => failure.Message)))
{
    /// <summary>Why each relay refused or failed.</summary>
    public IReadOnlyList<Exception> Failures { get; } = failures;

    /// <summary>The error code every relay agreed on (for example <c>inbox-full</c>), or null when they differ.</summary>
    public string? Code => Failures.OfType<RelayException>().Select(failure => failure.Code).Distinct().ToArray() is [var only] && Failures.All(f => f is RelayException) ? only : null;
}
