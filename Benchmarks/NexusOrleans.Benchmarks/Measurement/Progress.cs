using System.Diagnostics;
using System.Globalization;

namespace NexusOrleans.Benchmarks.Measurement;

/// <summary>
/// The progress line a long suite shows while it runs: phase, time in the phase, a count so far and its current rate.
/// On a terminal it is one line rewritten in place (on standard error, so standard output keeps only the report);
/// redirected, one line every few seconds.
/// </summary>
public sealed class Progress : IDisposable
{
    private static readonly TimeSpan TerminalInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(5);
    private readonly Lock _lock = new();
    private readonly Timer _timer;
    private readonly bool _inPlace = !Console.IsErrorRedirected;
    private string _phase = "";
    private string _unit = "";
    private Func<long>? _count;
    private long _phaseStarted = Stopwatch.GetTimestamp();
    private long _lastCount;
    private long _lastTimestamp = Stopwatch.GetTimestamp();
    private int _width;

    public Progress()
    {
        var interval = _inPlace ? TerminalInterval : LogInterval;
        _timer = new Timer(_ => Show(), null, interval, interval);
    }

    /// <summary>Starts a phase; <paramref name="count"/>, when given, is read at each update (e.g. messages delivered so far).</summary>
    public void Phase(string phase, Func<long>? count = null, string unit = "msgs")
    {
        lock (_lock)
        {
            _phase = phase;
            _count = count;
            _unit = unit;
            _phaseStarted = _lastTimestamp = Stopwatch.GetTimestamp();
            _lastCount = count?.Invoke() ?? 0;
        }

        Show();
    }

    /// <summary>Writes a line of the report without tearing the progress line.</summary>
    public void Line(string text)
    {
        lock (_lock)
        {
            Clear();
            Console.WriteLine(text);
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        lock (_lock)
        {
            Clear();
        }
    }

    private void Show()
    {
        lock (_lock)
        {
            var now = Stopwatch.GetTimestamp();
            var text = string.Create(CultureInfo.InvariantCulture, $"chat | {_phase} | {Stopwatch.GetElapsedTime(_phaseStarted, now).TotalSeconds,5:F1} s");
            if (_count is { } count)
            {
                var value = count();
                var seconds = Stopwatch.GetElapsedTime(_lastTimestamp, now).TotalSeconds;
                var rate = seconds > 0 ? (value - _lastCount) / seconds : 0;
                text += string.Create(CultureInfo.InvariantCulture, $" | {value:N0} {_unit} | {rate:N0} {_unit}/s");
                (_lastCount, _lastTimestamp) = (value, now);
            }

            if (_inPlace)
            {
                Console.Error.Write("\r" + text.PadRight(_width));
                _width = text.Length;
            }
            else
            {
                Console.Error.WriteLine(text);
            }
        }
    }

    private void Clear()
    {
        if (_inPlace && _width > 0)
        {
            Console.Error.Write("\r" + new string(' ', _width) + "\r");
            _width = 0;
        }
    }
}
