namespace NexusOrleans.Protocol.Envelopes;

/// <summary>
/// An envelope that breaks a rule of the format. <see cref="Error"/> says which rule (for metrics and status codes);
/// the message says what the envelope held and what is allowed. Messages name public keys and sizes only, never
/// plaintext or secret material, so they are safe to log.
/// </summary>
public sealed class EnvelopeException : Exception
{
    public EnvelopeException(EnvelopeError error, string message)
        : base(message)
    {
        Error = error;
    }

    public EnvelopeException(EnvelopeError error, string message, Exception innerException)
        : base(message, innerException)
    {
        Error = error;
    }

    /// <summary>The rule the envelope broke.</summary>
    public EnvelopeError Error { get; }
}
