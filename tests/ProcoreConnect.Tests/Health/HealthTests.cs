using System.Net;
using System.Reflection;
using Microsoft.Extensions.Time.Testing;
using ProcoreConnect.Secrets;
using ProcoreConnect.Tests.Infrastructure;

namespace ProcoreConnect.Tests.Health;

public sealed class HealthTests
{
    /// <summary>The app with the secret store wrapped in a counter of its reachability checks, on a clock the test moves.</summary>
    private static (AppFactory App, CountingSecretStore Checks, FakeTimeProvider Clock) AppWithCountedChecks(IDictionary<string, string?>? settings = null)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        CountingSecretStore? counter = null;
        var app = AppFactory.With(settings ?? new Dictionary<string, string?>()).WithServices(s =>
        {
            var inner = s.Last(d => d.ServiceType == typeof(ISecretStore));
            s.AddSingleton<TimeProvider>(clock);
            s.AddSingleton<ISecretStore>(sp =>
            {
                var store = inner.ImplementationFactory is { } factory ? (ISecretStore)factory(sp) : (ISecretStore)ActivatorUtilities.CreateInstance(sp, inner.ImplementationType!);
                counter = CountingSecretStore.Wrap(store);
                return (ISecretStore)(object)counter;
            });
        });
        app.Service<ISecretStore>();
        return (app, counter!, clock);
    }

    [Fact]
    public async Task Anonymous_calls_within_the_window_cost_one_secret_store_check()
    {
        var (app, checks, clock) = AppWithCountedChecks();
        using var _ = app;
        var anonymous = app.AnonymousClient();

        // Sequential and concurrent, as a probe and a flood would send them; the start-up warm-up shares the same check.
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/api/health")).StatusCode);
        }

        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => anonymous.GetAsync("/api/health")));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Equal(1, checks.Count);

        clock.Advance(TimeSpan.FromSeconds(14));
        await anonymous.GetAsync("/api/health");
        Assert.Equal(1, checks.Count);

        // Past the default 15 s window: checked once more, then cached again.
        clock.Advance(TimeSpan.FromSeconds(2));
        var body = await (await anonymous.GetAsync("/api/health")).ReadJsonAsync();
        await anonymous.GetAsync("/api/health");
        Assert.Equal(2, checks.Count);
        Assert.Equal(clock.GetUtcNow(), body.GetProperty("checkedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_deep_check_is_an_admins_and_always_checks()
    {
        var (app, checks, _) = AppWithCountedChecks();
        using var _ = app;
        await app.AnonymousClient().GetAsync("/api/health");
        var before = checks.Count;
        var admin = app.AnonymousClient();
        admin.DefaultRequestHeaders.Add(ProcoreConnect.Security.ApiKeyAuthenticationHandler.Header, AppFactory.AdminKey);

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/health?deep=true")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/health?deep=true")).StatusCode);
        Assert.Equal(before + 2, checks.Count);

        // Nobody else may make the service check: refused, and nothing checked.
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.AnonymousClient().GetAsync("/api/health?deep=true")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.CreateClient().GetAsync("/api/health?deep=true")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/api/health?deep=yes")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().GetAsync("/api/health?deep=false")).StatusCode);
        Assert.Equal(before + 2, checks.Count);
    }

    [Theory]
    [InlineData("00:00:05")]
    [InlineData("00:01:00")]
    public void A_cache_duration_outside_10_to_30_seconds_stops_the_app(string duration) =>
        Assert.Contains("CacheDuration", AppFactory.StartFailure("Health:CacheDuration", duration), StringComparison.Ordinal);

    [Fact]
    public async Task Healthy_when_storage_and_secret_store_answer()
    {
        using var app = new AppFactory();
        var response = await app.CreateClient().GetAsync("/api/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal("healthy", body.GetProperty("status").GetString());
        Assert.Equal("healthy", body.GetProperty("checks").GetProperty("storage").GetProperty("status").GetString());
        Assert.Equal("healthy", body.GetProperty("checks").GetProperty("secretStore").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Unhealthy_with_503_when_storage_is_unreachable()
    {
        var closed = FreePort.Next();
        using var app = AppFactory.With(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = Azurite.Instance.ConnectionString.Replace($":{Azurite.Instance.TablePort}/", $":{closed}/", StringComparison.Ordinal),
        });
        // The server's own client: no partner key to mint while storage is down.
        var response = await app.Server.CreateClient().GetAsync("/api/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal("unhealthy", body.GetProperty("checks").GetProperty("storage").GetProperty("status").GetString());
    }
}

public sealed class StartupWorkTests
{
    [Fact]
    public void Nothing_at_start_up_loads_a_data_protection_key_ring()
    {
        // Data Protection's hosted service reads (or writes) an XML key ring before the server
        // starts; the app protects no data, so it must not come back with a new registration.
        using var app = new AppFactory();

        Assert.Null(app.Services.GetService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>());
        Assert.DoesNotContain(
            app.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>(),
            s => s.GetType().Namespace!.StartsWith("Microsoft.AspNetCore.DataProtection", StringComparison.Ordinal));
    }
}

/// <summary>Counts the secret store's reachability checks, passing every call through.</summary>
public class CountingSecretStore : DispatchProxy
{
    private ISecretStore _inner = null!;
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public static CountingSecretStore Wrap(ISecretStore inner)
    {
        var proxy = Create<ISecretStore, CountingSecretStore>();
        var counter = (CountingSecretStore)(object)proxy;
        counter._inner = inner;
        return counter;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        if (targetMethod!.Name == nameof(ISecretStore.CheckAsync))
        {
            Interlocked.Increment(ref _count);
        }

        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerException);
            throw;
        }
    }
}
