using System.Collections.Concurrent;
using System.Security.Cryptography;
using ProcoreConnect.ClientManagement;
using ProcoreConnect.Clients;
using ProcoreConnect.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;

namespace ProcoreConnect.Tests.Infrastructure;

/// <summary>
/// The real app in-process against the shared Azurite, with a table prefix of its own, a random
/// local secret key, the local scheduler off and every log line captured.
/// </summary>
public class AppFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly List<Action<IServiceCollection>> _services = [];

    public AppFactory()
        : this(null)
    {
    }

    private AppFactory(IDictionary<string, string?>? settings)
    {
        _settings = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = Azurite.Instance.ConnectionString,
            ["Storage:TablePrefix"] = Azurite.NewPrefix(),
            ["SecretStore:LocalKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Scheduler:Enabled"] = "false",
            ["Auth:AdminKeySha256"] = PartnerKeyStore.Sha256Hex(AdminKey),
            ["Refresh:QueueName"] = "q" + Guid.NewGuid().ToString("N")[..12],
            // Tests write far more per partner and minute than any partner should; PartnerRateLimitTests sets its own limits.
            ["RateLimits:PermitLimit"] = "1000000",
        };
        // Nothing in a test may reach a real Procore: unless a test points them at its simulator,
        // every environment is a closed loopback port, so a stray call fails at once, locally.
        foreach (var environment in new[] { "Production", "Sandbox", "Monthly", "Federal" })
        {
            _settings[$"Procore:{environment}:LoginBaseUrl"] = ClosedPort;
            _settings[$"Procore:{environment}:ApiBaseUrl"] = ClosedPort;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    /// <summary>A factory with settings of the test's own on top of the defaults (null removes one).</summary>
    public static AppFactory With(IDictionary<string, string?> settings) => new(settings);

    /// <summary>
    /// What the app's start-up validation says about one setting of the test's, as text: its own
    /// registrations validated the way the host does before it starts anything. (Starting a whole
    /// WebApplicationFactory for this raced: its deferred host sometimes surfaced an
    /// ObjectDisposedException from tear-down instead of the validation failure, dotnet/aspnetcore#33494.)
    /// </summary>
    public static string StartFailure(string key, string value)
    {
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [key] = value })
            .Build();
        var services = new ServiceCollection().AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(configuration).AddLogging();
        ProcoreConnect.Extensions.ServiceCollectionExtensions.AddProcoreConnect(services);
        using var provider = services.BuildServiceProvider();
        return Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<Microsoft.Extensions.Options.IStartupValidator>().Validate()).ToString();
    }

    /// <summary>The bootstrap admin key every test app accepts.</summary>
    public const string AdminKey = "test-admin-key-0123456789";

    /// <summary>The partner the default client authenticates as.</summary>
    public const string DefaultPartner = "partner-a";

    /// <summary>Where Procore is when a test has no simulator: the discard port, closed on loopback.</summary>
    public const string ClosedPort = "http://127.0.0.1:9/";

    private ConcurrentDictionary<string, string> _partnerKeys = new();

    public CapturedLogs Logs { get; } = new();

    /// <summary>
    /// An API key of <paramref name="partnerId"/>, minted once per factory, with the partner's
    /// default code-flow OAuth client (<see cref="Connections.DefaultClient"/>) created beside it.
    /// </summary>
    public string PartnerKey(string partnerId) =>
        _partnerKeys.GetOrAdd(partnerId, p =>
        {
            var key = Service<PartnerKeyStore>().CreateAsync(p, "tests", default).GetAwaiter().GetResult().Key;
            var settings = new OAuthClientSettings
            {
                AuthFlow = AuthFlow.AuthorizationCode,
                ClientId = "test-app-" + p,
                ClientSecret = Connections.NewSecret(),
            };
            Service<OAuthClientService>()
                .UpsertAsync(new OAuthClientRef(p, Connections.DefaultClient), settings, null, default).GetAwaiter().GetResult();
            return key;
        });

    /// <summary>A client authenticated as another partner.</summary>
    public HttpClient ClientFor(string partnerId, Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions? options = null)
    {
        var client = options is null ? CreateClient() : CreateClient(options);
        client.DefaultRequestHeaders.Remove(ApiKeyAuthenticationHandler.Header);
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.Header, PartnerKey(partnerId));
        return client;
    }

    /// <summary>A client without credentials (a person's browser, Procore).</summary>
    public HttpClient AnonymousClient(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions? options = null)
    {
        var client = options is null ? CreateClient() : CreateClient(options);
        client.DefaultRequestHeaders.Remove(ApiKeyAuthenticationHandler.Header);
        return client;
    }

    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.Header, PartnerKey(DefaultPartner));
    }

    /// <summary>
    /// Another instance of the same Function App: its own memory, the same storage, secret store,
    /// queue, services and partner keys, as a second instance in Azure would have.
    /// </summary>
    public AppFactory SecondInstance()
    {
        var second = new AppFactory(_settings) { _partnerKeys = _partnerKeys };
        second._services.AddRange(_services);
        return second;
    }

    /// <summary>Replaces services after the app's own registrations.</summary>
    public AppFactory WithServices(Action<IServiceCollection> configure)
    {
        _services.Add(configure);
        return this;
    }

    public T Service<T>() where T : notnull => Services.GetRequiredService<T>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Trace);
            logging.AddProvider(Logs);
        });
        builder.ConfigureTestServices(services =>
        {
            foreach (var configure in _services)
            {
                configure(services);
            }
        });
    }
}
