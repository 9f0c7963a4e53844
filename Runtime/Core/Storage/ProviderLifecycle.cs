namespace NexusOrleans.Runtime.Storage;

/// <summary>
/// Where a provider is in its life: created (no I/O yet), ready after <see cref="IStorageProvider.InitializeAsync"/>,
/// or disposed. Operations are allowed only when ready, and each wrong state has its own message.
/// </summary>
internal sealed class ProviderLifecycle(string storeName)
{
    private const int Created = 0;
    private const int Ready = 1;
    private const int Disposed = 2;

    private readonly SemaphoreSlim _initialization = new(1, 1);
    private int _state;

    public bool IsReady => Volatile.Read(ref _state) == Ready;

    public bool IsDisposed => Volatile.Read(ref _state) == Disposed;

    public void ThrowIfNotReady()
    {
        switch (Volatile.Read(ref _state))
        {
            case Created:
                throw new InvalidOperationException(
                    $"The '{storeName}' storage provider has not been initialized; call InitializeAsync before using it.");
            case Disposed:
                throw new ObjectDisposedException($"The '{storeName}' storage provider has been disposed.");
        }
    }

    public void ThrowIfDisposed()
    {
        ObjectDisposedException.ThrowIf(IsDisposed, $"The '{storeName}' storage provider has been disposed.");
    }

    /// <summary>
    /// Runs <paramref name="open"/> once: concurrent callers wait for the first, later callers return at once, and a
    /// failed attempt leaves the provider created so the next call tries again. Refused once disposed.
    /// </summary>
    public async Task InitializeOnceAsync(Func<CancellationToken, Task> open, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        await _initialization.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfDisposed();
            if (!IsReady)
            {
                await open(cancellationToken).ConfigureAwait(false);
                Interlocked.CompareExchange(ref _state, Ready, Created);
            }
        }
        finally
        {
            _initialization.Release();
        }
    }

    /// <summary>Marks the provider disposed; true only for the first call.</summary>
    public bool TryMarkDisposed() => Interlocked.Exchange(ref _state, Disposed) != Disposed;
}
