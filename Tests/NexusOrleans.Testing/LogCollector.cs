using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace NexusOrleans.Testing;

/// <summary>Keeps every log line written through it, so tests can assert on what was (and was not) logged.</summary>
public sealed class LogCollector : ILoggerProvider
{
    private readonly ConcurrentQueue<LogLine> _lines = new();

    /// <summary>Everything logged so far.</summary>
    public IReadOnlyCollection<LogLine> Lines => _lines;

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <inheritdoc />
    public void Dispose()
    {
    }

    /// <summary>One log line, with its exception's text.</summary>
    public sealed record LogLine(string Category, LogLevel Level, EventId EventId, string Message, string? Exception)
    {
        /// <inheritdoc />
        public override string ToString() => $"{Level} {Category}[{EventId.Id}] {Message} {Exception}";
    }

    private sealed class Logger(LogCollector collector, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => collector._lines.Enqueue(new LogLine(category, logLevel, eventId, formatter(state, exception), exception?.ToString()));
    }
}
