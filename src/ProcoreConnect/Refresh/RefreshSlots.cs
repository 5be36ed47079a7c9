using Microsoft.Extensions.Options;

namespace ProcoreConnect.Refresh;

/// <summary>
/// The refreshes one instance runs at once (<see cref="RefreshOptions.MaxConcurrency"/>), shared by
/// every queue message it handles at a time, under the host or the local queue worker alike.
/// </summary>
public sealed class RefreshSlots(IOptions<RefreshOptions> options) : IDisposable
{
    /// <summary>Taken for each refresh, released when it is done.</summary>
    public SemaphoreSlim Limit { get; } = new(Math.Max(1, options.Value.MaxConcurrency));

    /// <inheritdoc />
    public void Dispose() => Limit.Dispose();
}
