using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using ProcoreConnect.ConnectLinks;
using ProcoreConnect.Health;
using ProcoreConnect.Hosting;
using ProcoreConnect.OAuth;
using ProcoreConnect.Maintenance;
using ProcoreConnect.Procore;
using ProcoreConnect.ProcoreCalls;
using ProcoreConnect.Refresh;
using ProcoreConnect.Tokens;
using ProcoreConnect.Validation;
using ProcoreConnect.WorkspaceConnections;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Extensions;

/// <summary>The app's service registrations.</summary>
public static class ServiceCollectionExtensions
{
    // A probe that waits out the SDKs' retries is slower than the platform's probe timeout.
    private static readonly TimeSpan HealthCheckTimeout = TimeSpan.FromSeconds(5);

    private static readonly string[] ProcoreUrlSettings =
    [
        .. from environment in (string[])[nameof(ProcoreOptions.Production), nameof(ProcoreOptions.Sandbox), nameof(ProcoreOptions.Monthly), nameof(ProcoreOptions.Federal)]
        from url in (string[])[nameof(ProcoreEndpointsOptions.LoginBaseUrl), nameof(ProcoreEndpointsOptions.ApiBaseUrl)]
        select $"{ProcoreOptions.Section}:{environment}:{url}",
    ];

    private static SocketsHttpHandler PooledHandler() => new() { PooledConnectionLifetime = TimeSpan.FromMinutes(2) };

    /// <summary>Registers everything the functions need.</summary>
    public static IServiceCollection AddProcoreConnect(this IServiceCollection services)
    {
        // Ahead of the JSON writer AddProblemDetails adds: a browser opening an API route gets a page.
        services.AddSingleton<IProblemDetailsWriter, Security.ApiRouteBrowserPage>();
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            Security.AuthProblems.Describe(context);
            // The reason RefusalLogging writes: the title and the names of the invalid fields, never values.
            var fields = context.ProblemDetails is HttpValidationProblemDetails validation ? " [" + string.Join(", ", validation.Errors.Keys) + "]" : "";
            context.HttpContext.Items[Security.RefusalLogging.ReasonItem] = context.ProblemDetails.Title + fields;
        });
        services.AddConnectSecurity();
        services.AddSingleton<Http.AcceptedQuery>();
        services.AddSingleton<Audit.AuditLog>();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.SnakeCaseLower));
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, HttpJsonContext.Default);
            // Numbers are numbers: JsonBody reads request bodies strictly (a quoted number is refused),
            // so the generated schemas must not offer the web default's "integer or string". Nothing
            // binds a body through these options; answers are written the same either way.
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
        services.AddConnectOpenApi();
        services.AddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton<Telemetry.ConnectTelemetry>();
        // Whatever configuration says: the categories that log request URLs with their query values.
        services.AddSingleton<IPostConfigureOptions<LoggerFilterOptions>, Telemetry.UrlLogFilter>();

        services.AddOptions<ProcoreOptions>().BindConfiguration(ProcoreOptions.Section).RejectEmptySettings(ProcoreUrlSettings);
        services.AddOptions<SchedulerOptions>().BindConfiguration(SchedulerOptions.Section);
        services.AddOptions<PublicUrlOptions>().BindConfiguration(PublicUrlOptions.Section)
            .ValidateOnStartWith(new PublicUrlOptionsValidator()).RejectEmptySettings($"{PublicUrlOptions.Section}:{nameof(PublicUrlOptions.PublicBaseUrl)}");
        services.AddSingleton<PublicUrls>();

        services.AddTableStorage();
        services.AddSecretStore();
        services.AddSingleton<Secrets.SecretVersionCache>();
        services.AddSingleton<WorkspaceRepository>();
        services.AddSingleton<WorkspaceTagIndex>();
        services.AddSingleton<NeedsAttention>();
        services.AddSingleton<WorkspaceTagWrites>();
        services.AddSingleton<ConnectionClients>();
        services.AddSingleton<SettingsWriter>();
        services.AddSingleton<GrantCleanup>();
        services.AddSingleton<WorkspaceConnectionService>();
        services.AddSingleton<WorkspaceDeletion>();
        services.AddSingleton<WorkspaceKeyedData>();
        services.AddSingleton<DeletionNotice>();
        services.AddSingleton<Clients.OAuthClientRepository>();
        services.AddSingleton<ClientManagement.OAuthClientService>();
        services.AddSingleton<ClientManagement.ClientSecretRotation>();
        services.AddSingleton<ClientManagement.InstalledCompaniesService>();
        services.AddSingleton<Migrations.InlineClientMigration>();

        services.AddOptions<OAuthOptions>().BindConfiguration(OAuthOptions.Section).ValidateOnStartWith(new OAuthOptionsValidator());
        services.AddOptions<TokenOptions>().BindConfiguration(TokenOptions.Section);
        services.AddSingleton<OAuthStateStore>();
        services.AddSingleton<Partners.PartnerSettingsStore>();
        services.AddSingleton<Clients.ClientHealthRecorder>();
        services.AddSingleton<Clients.ClientRefusals>();
        services.AddSingleton<Clients.ClientGrantStore>();
        services.AddSingleton<Workspaces.CompanyAccess>();
        services.AddSingleton<ClientManagement.GrantChanges>();
        services.AddSingleton<GrantRevoker>();
        services.AddSingleton<SignInCompanyCheck>();
        services.AddSingleton<ConnectFlow>();
        services.AddSingleton<SignInCompletion>();
        services.AddSingleton<OAuthCallback>();
        services.AddSingleton<ConnectLinks.ConnectLinkStore>();
        services.AddSingleton<ConnectLinks.ConnectLinkService>();
        services.AddSingleton<TokenCache>();
        services.AddSingleton<TokenPersister>();
        services.AddSingleton<RefreshLeaseStore>();
        services.AddSingleton<ClientTokenStore>();
        services.AddSingleton<RefreshGate>();
        services.AddSingleton<HeldTokens>();
        services.AddSingleton<TokenKeeper>();
        services.AddSingleton<TokenEligibility>();
        services.AddSingleton<SharedTokenCache>();
        services.AddSingleton<ClientTokenPersister>();
        services.AddSingleton<ClientTokenFetcher>();
        services.AddSingleton<ClientTokenService>();
        services.AddSingleton<SharedTokenRevoker>();
        services.AddSingleton<SharedWorkspaceTokens>();
        services.AddSingleton<RefreshAttempt>();
        services.AddSingleton<RefreshProtocol>();
        services.AddSingleton<RefreshTokenImport>();
        services.AddSingleton<GrantConnector>();
        services.AddSingleton<TokenReader>();
        services.AddSingleton<ConnectionValidator>();
        services.AddSingleton<ValidationRecorder>();

        services.AddSingleton<Webhooks.InboundWebhookStore>();
        services.AddOptions<Webhooks.WebhookOptions>().BindConfiguration(Webhooks.WebhookOptions.Section).ValidateOnStartWith(new Webhooks.WebhookOptionsValidator());
        services.AddOptions<Events.EventOptions>().BindConfiguration(Events.EventOptions.Section);
        services.AddSingleton<Events.PartnerWebhookStore>();
        services.AddSingleton<Events.EventPublisher>();
        services.AddSingleton<Events.EventDispatcher>();
        services.AddSingleton<Events.EventLog>();
        services.AddHostedService<Events.EventWorker>();
        services.AddSingleton<Events.HostAddressResolver>();
        services.AddSingleton<Events.PublicAddressConnector>();
        // Partner URLs are the partner's to choose: connections go only to public addresses, checked at connect time.
        services.AddHttpClient<Events.EventDeliveryClient, Events.EventDeliveryClient>((http, sp) => new(http, sp.GetRequiredService<ILogger<Events.EventDeliveryClient>>()))
            .ConfigureHttpClient((sp, c) => c.Timeout = sp.GetRequiredService<IOptions<Events.EventOptions>>().Value.Timeout)
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<Events.PublicAddressConnector>().CreateHandler())
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);

        services.AddOptions<RefreshOptions>().BindConfiguration(RefreshOptions.Section);
        services.AddSingleton<RefreshDueIndex>();
        services.AddSingleton<DueEntryRefresher>();
        services.AddSingleton<RefreshSweeper>();
        services.AddSingleton<RefreshSlots>();
        services.AddSingleton<AbandonedRefreshes>();
        services.AddSingleton<DueEntryRepair>();
        services.AddSingleton<ClientChecker>();
        services.AddSingleton<ConnectionChecker>();
        services.AddSingleton<LocalQueueWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<LocalQueueWorker>());
        // Token requests are not retried (see ProcoreOAuthClient); API reads get the standard pipeline.
        // The clients live in singletons, so connections are recycled by the handler instead (DNS changes).
        // Typed clients are made by these delegates: the default activator compiles an expression for
        // each the first time it is asked, and the token route's services ask before the server listens.
        services.AddHttpClient<ProcoreOAuthClient, ProcoreOAuthClient>((http, sp) =>
                new(http, sp.GetRequiredService<IOptions<ProcoreOptions>>(), sp.GetRequiredService<ILogger<ProcoreOAuthClient>>()))
            .ConfigureHttpClient(c => c.Timeout = TimeSpan.FromSeconds(30))
            .ConfigurePrimaryHttpMessageHandler(PooledHandler).SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .AddHttpMessageHandler(static () => new Security.CostlyWorkHandler());
        services.AddOptions<ProcoreFairShareOptions>().BindConfiguration(ProcoreFairShareOptions.Section).ValidateOnStartWith(new ProcoreFairShareOptionsValidator());
        services.AddSingleton<ProcoreFairShare>();
        services.AddSingleton<ProcoreRateLimits>();
        services.AddHttpClient<ProcoreApiClient, ProcoreApiClient>((http, sp) =>
                new(http, sp.GetRequiredService<IOptions<ProcoreOptions>>(), sp.GetRequiredService<ProcoreRateLimits>()))
            .ConfigurePrimaryHttpMessageHandler(PooledHandler).SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .AddHttpMessageHandler(static () => new Security.CostlyWorkHandler())
            .AddStandardResilienceHandler(o =>
            {
                // A 429 is not retried here: Procore says when its limit resets, and ProcoreRateLimits waits for that.
                var transient = o.Retry.ShouldHandle;
                o.Retry.ShouldHandle = args => args.Outcome.Result?.StatusCode == System.Net.HttpStatusCode.TooManyRequests
                    ? ValueTask.FromResult(false)
                    : transient(args);
            });

        services.AddProcoreCalls();

        services.AddHealthChecks()
            .AddCheck<StorageHealthCheck>("storage", tags: null, timeout: HealthCheckTimeout)
            .AddCheck<SecretStoreHealthCheck>("secretStore", tags: null, timeout: HealthCheckTimeout);
        services.AddOptions<HealthOptions>().BindConfiguration(HealthOptions.Section).ValidateOnStartWith(new HealthOptionsValidator());
        services.AddSingleton<HealthReportCache>();
        services.AddHostedService<DependencyWarmup>();
        services.AddHostedService<LocalTimerScheduler>();
        return services;
    }
}
