using System.Text.Json.Nodes;
using ProcoreConnect.Admin;
using ProcoreConnect.Audit;
using ProcoreConnect.Clients;
using ProcoreConnect.Events;
using ProcoreConnect.Health;
using ProcoreConnect.Migrations;
using ProcoreConnect.Procore;
using ProcoreConnect.Security;
using ProcoreConnect.Tokens;
using ProcoreConnect.Validation;
using ProcoreConnect.Webhooks;
using ProcoreConnect.WorkspaceConnections;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.OpenApi;

/// <summary>
/// Example bodies for the OpenAPI document, written as the very records the service reads and
/// answers, so an example cannot name a field the service does not know or miss one it requires.
/// </summary>
internal static class ApiExamples
{
    private static readonly DateTimeOffset Created = new(2026, 11, 23, 16, 39, 28, TimeSpan.Zero);
    public static readonly DateTimeOffset Later = Created.AddMinutes(3);

    public const string WorkspaceId = "acme-hq";
    public const string ClientName = "acme-app";
    public const string PartnerId = "my-platform";

    public static readonly ConnectionRequest ConnectionRequest = new()
    {
        CompanyId = 1001,
        Environment = "production",
        OAuthClient = ClientName,
    };

    public static readonly ConnectionResponse Connection = new()
    {
        WorkspaceId = WorkspaceId,
        CompanyId = 1001,
        Environment = ProcoreEnvironment.Production,
        OAuthClient = ClientName,
        OAuthClientPublic = false,
        AuthFlow = AuthFlow.AuthorizationCode,
        Status = WorkspaceStatus.Connected,
        AccessTokenExpiresAt = Later.AddMinutes(90),
        LastCheckedAt = Later,
        LastCheckOk = true,
        ApiBaseUrl = new Uri("https://api.procore.com"),
        Tags = new Dictionary<string, string> { ["crmAccount"] = "A-1042" },
        CreatedAt = Created,
        UpdatedAt = Later,
    };

    public static readonly ConnectionResponse PendingConnection = Connection with
    {
        Status = WorkspaceStatus.Pending,
        AccessTokenExpiresAt = null,
        LastCheckedAt = null,
        LastCheckOk = null,
        UpdatedAt = Created,
    };

    public static readonly WorkspaceListResponse Workspaces = new([Connection], "c2Vjb25kLXBhZ2U");

    public static readonly OAuthClientRequest ClientRequest = new()
    {
        AuthFlow = "authorization_code",
        ClientId = "3f1c0a7e9b2d4c68",
        ClientSecret = "(the secret from Procore's Developer Portal)",
        ClientSecretExpiresAt = new DateTimeOffset(2027, 6, 1, 0, 0, 0, TimeSpan.Zero),
        DisplayName = "Acme sync (code flow)",
    };

    public static readonly OAuthClientResponse Client = new()
    {
        Name = ClientName,
        DisplayName = "Acme sync (code flow)",
        Public = false,
        AuthFlow = AuthFlow.AuthorizationCode,
        ClientId = "3f1c0a7e9b2d4c68",
        ClientSecret = new ClientSecretStatus(true, Created, new DateTimeOffset(2027, 6, 1, 0, 0, 0, TimeSpan.Zero)),
        WorkspaceCount = 2,
        CreatedAt = Created,
        UpdatedAt = Created,
    };

    public static readonly OAuthClientListResponse Clients = new(
        [Client with { WorkspaceCount = null }, Client with { Name = "shared-dmsa", DisplayName = "Shared by the operator", Public = true, AuthFlow = AuthFlow.ClientCredentials, WorkspaceCount = null }],
        null);

    public static readonly SecretRotationRequest SecretRotation = new()
    {
        ClientSecret = "(the new secret from Procore's Developer Portal)",
        ClientSecretExpiresAt = new DateTimeOffset(2027, 12, 1, 0, 0, 0, TimeSpan.Zero),
    };

    public static readonly InstalledCompaniesResponse InstalledCompanies = new(
        "acme-dmsa",
        ProcoreEnvironment.Production,
        [new InstalledCompany(1001, "Acme Builders", true, ["procore-1001"]), new InstalledCompany(1002, "Beta Construction", true, [])]);

    public static readonly CreateCompanyWorkspacesRequest CreateCompanyWorkspaces = new()
    {
        Environment = "production",
        CompanyIds = [1001, 1002],
    };

    public static readonly CreateCompanyWorkspacesResponse CompanyWorkspaces = new(
        "acme-dmsa",
        ProcoreEnvironment.Production,
        [
            new CompanyWorkspaceResult(1001, "procore-1001", CompanyWorkspaceOutcome.AlreadyMapped),
            new CompanyWorkspaceResult(1002, "procore-1002", CompanyWorkspaceOutcome.Created),
        ]);

    public static readonly TokenResponse Token = new("(a Procore access token)", "Bearer", Later.AddMinutes(90), 1001, new Uri("https://api.procore.com"));

    public static readonly ClientGrantRequest GrantRequest = new() { CompanyIds = [1002, 1003], Environments = ["production"] };

    public static readonly ClientGrant Grant = new("shared-dmsa", PartnerId, [1002, 1003], [ProcoreConnect.Procore.ProcoreEnvironment.Production], Created);

    public static readonly Partners.PartnerSettingsRequest PartnerSettingsRequest = new() { AllowedReturnOrigins = ["https://app.my-platform.example"] };

    public static readonly Partners.PartnerSettings PartnerSettings = new(["https://app.my-platform.example"], Created);

    public static readonly ConnectLinks.ConnectLinkRequest ConnectLinkRequest = new()
    {
        ReturnUrl = "https://partner.example.com/done",
        LifetimeSeconds = 86400,
    };

    public static readonly ConnectLinks.ConnectLinkResponse ConnectLink = new()
    {
        Url = new Uri("https://procore-connect.example.com/api/connect/0sT3kQ9vR2m8pW4xY7zA1bC5dE6fG8hJ0kL2nM4pQ6r"),
        ExpiresAt = Later.AddDays(1),
    };

    public static readonly NeedsAttentionResponse NeedsAttention = new(
        [
            new WorkspaceAttention(
                "acme-west", 1002, ProcoreEnvironment.Production, ClientName, WorkspaceStatus.NeedsReauthorization,
                new Dictionary<string, string> { ["crmAccount"] = "A-1043" },
                [
                    new AttentionReason(
                        "needs_reauthorization", "Procore refused the refresh token (invalid_grant).",
                        "A person connects again (GET /api/workspaces/acme-west/connect or a connect link), or you import a refresh token.", Created),
                ]),
        ],
        [],
        Later);

    public static readonly ValidationReport Validation = new()
    {
        WorkspaceId = WorkspaceId,
        Ok = true,
        CompanyVisible = true,
        Checks =
        [
            new ValidationCheck("token", true, null, "Access token valid until 2026-11-23 18:12:28Z."),
            new ValidationCheck("me", true, 200, "Procore identified the token's user."),
            new ValidationCheck("companies", true, 200, "1 company visible."),
            new ValidationCheck("company", true, null, "Company 1001 is visible."),
        ],
        VisibleCompanies = [new ProcoreCompany(1001, "Acme Builders")],
        CheckedAt = Later,
    };

    public static readonly IReadOnlyList<AuditEntry> Audit =
    [
        new AuditEntry("acme-hq-5f0c2b9d3e7a1846", "partner:my-platform", "workspace.created", "companyId, environment, oauthClient", Created),
    ];

    public static readonly InboundHookSettings HookSettings = new(
        new Uri("https://procore-connect.example.com/api/webhooks/procore/acme-hq-5f0c2b9d3e7a1846"), "(a random value, shown once)");

    /// <summary>A Procore delivery in payload format v2 (v3 adds <c>related_resources</c>; v4 uses string ids, <c>reason</c> and <c>resource_type</c>).</summary>
    public static readonly JsonObject ProcoreDelivery = new()
    {
        ["id"] = 4242,
        ["ulid"] = "01JD7S3N8V2M5Q1R6T9W0X4Y7Z",
        ["timestamp"] = "2026-11-23T16:45:00Z",
        ["metadata"] = new JsonObject { ["source_user_id"] = 9, ["source_operation_id"] = null },
        ["user_id"] = 9,
        ["company_id"] = 1001,
        ["project_id"] = 5050,
        ["api_version"] = "v2",
        ["event_type"] = "create",
        ["resource_name"] = "Projects",
        ["resource_id"] = 5050,
    };

    public static readonly DeliveryAck Delivery = new("01JD7S3N8V2M5Q1R6T9W0X4Y7Z", false);

    public static readonly IReadOnlyList<KnownProject> Projects = [new KnownProject(5050, Later, true)];

    public static readonly PartnerWebhookRequest PartnerWebhook = new("https://events.my-platform.example/procore-connect");

    public static readonly PartnerWebhookRegistration PartnerWebhookRegistration = new(
        new Uri("https://events.my-platform.example/procore-connect"), "(a random signing secret, shown once)", Created);

    public static readonly PartnerWebhookView PartnerWebhookView = new(new Uri("https://events.my-platform.example/procore-connect"), true, Created);

    public static readonly IReadOnlyList<EventRecord> Events =
    [
        new EventRecord
        {
            EventId = "01JD7S9B4C6E8G0J2L4N6Q8S0U", Type = EventTypes.Connected, WorkspaceId = WorkspaceId, Status = "delivered", Attempts = 1,
            LastStatusCode = 200, LastError = null, CreatedAt = Created, DeliveredAt = Created.AddSeconds(1),
        },
    ];

    public static readonly PartnerKeyEndpoints.CreateKeyRequest KeyRequest = new("production");

    public static readonly CreatedPartnerKey CreatedKey = new("816891213d8e0f5f", PartnerId, "production", Created, "pck_816891213d8e0f5f_(shown once)");

    public static readonly IReadOnlyList<PartnerKey> Keys = [new PartnerKey("816891213d8e0f5f", PartnerId, "production", Created, null)];

    public static readonly MigrationReport Migration = new(12, 3, 0, 12);

    public static readonly HealthResponse Healthy = new("healthy", new Dictionary<string, HealthCheckResponse>
    {
        ["storage"] = new("healthy", "Table Storage reachable.", 5.8),
        ["secretStore"] = new("healthy", "Secret store (key-vault) reachable.", 8.6),
    }, Later);

    public static readonly HealthResponse Unhealthy = new("unhealthy", new Dictionary<string, HealthCheckResponse>
    {
        ["storage"] = new("healthy", "Table Storage reachable.", 5.8),
        ["secretStore"] = new("unhealthy", "Secret store (key-vault) unreachable: AuthenticationFailedException.", 5000),
    }, Later);
}
