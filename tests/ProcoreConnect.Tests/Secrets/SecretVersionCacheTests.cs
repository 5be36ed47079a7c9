using ProcoreConnect.Secrets;

namespace ProcoreConnect.Tests.Secrets;

public sealed class SecretVersionCacheTests
{
    [Fact]
    public async Task Callers_asking_for_one_version_at_once_share_one_read()
    {
        var store = new HeldStore(held: true);
        var cache = new SecretVersionCache(store);
        var reference = new SecretReference("oc-a-client-secret", "v1");

        var callers = Enumerable.Range(0, 40).Select(_ => cache.GetAsync(reference, default)).ToList();
        store.Release();
        var values = await Task.WhenAll(callers);
        await cache.GetAsync(reference, default);

        Assert.All(values, v => Assert.Equal("value of v1", v));
        Assert.Equal(1, store.Reads);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_failed_read_is_not_remembered(bool throwsBeforeAwaiting)
    {
        var store = new HeldStore(held: false) { FailNext = true, ThrowsBeforeAwaiting = throwsBeforeAwaiting };
        var cache = new SecretVersionCache(store);
        var reference = new SecretReference("oc-a-client-secret", "v1");

        await Assert.ThrowsAsync<IOException>(() => cache.GetAsync(reference, default));
        Assert.Equal("value of v1", await cache.GetAsync(reference, default));
        Assert.Equal(2, store.Reads);
    }

    /// <summary>A store whose reads, when held, wait until the test releases them, so concurrent callers overlap.</summary>
    private sealed class HeldStore(bool held) : ISecretStore
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _reads;

        public void Release() => _released.TrySetResult();

        public int Reads => _reads;

        public bool FailNext { get; set; }

        /// <summary>Fails as a store that checks before its first await does: a synchronous throw.</summary>
        public bool ThrowsBeforeAwaiting { get; init; }

        public string Kind => "held";

        public Task<string> GetAsync(SecretReference reference, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _reads);
            if (ThrowsBeforeAwaiting && FailNext)
            {
                FailNext = false;
                throw new IOException("the store refused at once");
            }

            return ReadAsync(reference, cancellationToken);
        }

        private async Task<string> ReadAsync(SecretReference reference, CancellationToken cancellationToken)
        {
            await Task.Yield();
            if (held)
            {
                await _released.Task.WaitAsync(cancellationToken);
            }

            if (FailNext)
            {
                FailNext = false;
                throw new IOException("the store is down");
            }

            return "value of " + reference.Version;
        }

        public Task<SecretReference> SetAsync(string name, string value, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<(SecretReference Reference, string Value)?> GetLatestAsync(string name, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task DisableAsync(SecretReference reference, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task DeleteAsync(string name, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task CheckAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
