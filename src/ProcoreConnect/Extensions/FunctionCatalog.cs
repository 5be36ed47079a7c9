using ProcoreConnect.Admin;
using ProcoreConnect.ClientManagement;
using ProcoreConnect.ConnectLinks;
using ProcoreConnect.Events;
using ProcoreConnect.Health;
using ProcoreConnect.Hosting;
using ProcoreConnect.Http;
using ProcoreConnect.Maintenance;
using ProcoreConnect.OpenApi;
using ProcoreConnect.Refresh;
using ProcoreConnect.Tokens;
using ProcoreConnect.Validation;
using ProcoreConnect.Webhooks;
using ProcoreConnect.WorkspaceConnections;

namespace ProcoreConnect.Extensions;

/// <summary>
/// The one table of functions. The app's routes and every generated <c>function.json</c> come
/// from it, so code and bindings cannot disagree.
/// </summary>
public static class FunctionCatalog
{
    private const string Connection = "workspaces/{id}/connection";
    private const string Client = "oauth-clients/{name}";
    private const string LinkPage = "connect/{token}";
    private const string RefreshQueue = RefreshOptions.Section + ":" + nameof(RefreshOptions.QueueName);

    /// <summary>Every function the app serves.</summary>
    public static IReadOnlyList<FunctionDefinition> All { get; } =
    [
        FunctionDefinition.Http("Health", "GET", "health", static (app, f) => app.MapMethods(f.AppPath, f.Methods, HealthEndpoints.GetHealth), policy: null),
        FunctionDefinition.Http("ListWorkspaces", "GET", "workspaces", static (app, f) => app.MapMethods(f.AppPath, f.Methods, WorkspaceEndpoints.ListWorkspaces)),
        FunctionDefinition.Http("ListNeedsAttention", "GET", "workspaces/needs-attention", static (app, f) => app.MapMethods(f.AppPath, f.Methods, WorkspaceEndpoints.ListNeedsAttention)),
        FunctionDefinition.Http("GetConnection", "GET", Connection, static (app, f) => app.MapMethods(f.AppPath, f.Methods, WorkspaceEndpoints.GetConnection)),
        FunctionDefinition.Http("PutConnection", "PUT", Connection, static (app, f) => app.MapMethods(f.AppPath, f.Methods, WorkspaceEndpoints.PutConnection)),
        FunctionDefinition.Http("DeleteConnection", "DELETE", Connection, static (app, f) => app.MapMethods(f.AppPath, f.Methods, WorkspaceEndpoints.DeleteConnection)),
        FunctionDefinition.Http("ListOAuthClients", "GET", "oauth-clients", static (app, f) => app.MapMethods(f.AppPath, f.Methods, OAuthClientEndpoints.ListClients), Security.Roles.PartnerOrAdmin),
        FunctionDefinition.Http("GetOAuthClient", "GET", Client, static (app, f) => app.MapMethods(f.AppPath, f.Methods, OAuthClientEndpoints.GetClient), Security.Roles.PartnerOrAdmin),
        FunctionDefinition.Http("PutOAuthClient", "PUT", Client, static (app, f) => app.MapMethods(f.AppPath, f.Methods, OAuthClientEndpoints.PutClient), Security.Roles.PartnerOrAdmin),
        FunctionDefinition.Http("DeleteOAuthClient", "DELETE", Client, static (app, f) => app.MapMethods(f.AppPath, f.Methods, OAuthClientEndpoints.DeleteClient), Security.Roles.PartnerOrAdmin),
        FunctionDefinition.Http("RotateOAuthClientSecret", "PUT", Client + "/secret", static (app, f) => app.MapMethods(f.AppPath, f.Methods, OAuthClientEndpoints.RotateSecret), Security.Roles.PartnerOrAdmin),
        FunctionDefinition.Http("PutOAuthClientGrant", "PUT", Client + "/grants/{partnerId}", static (app, f) => app.MapMethods(f.AppPath, f.Methods, ClientGrantEndpoints.Put), Security.Roles.Admin),
        FunctionDefinition.Http("GetOAuthClientGrant", "GET", Client + "/grants/{partnerId}", static (app, f) => app.MapMethods(f.AppPath, f.Methods, ClientGrantEndpoints.Get), Security.Roles.Admin),
        FunctionDefinition.Http("DeleteOAuthClientGrant", "DELETE", Client + "/grants/{partnerId}", static (app, f) => app.MapMethods(f.AppPath, f.Methods, ClientGrantEndpoints.Delete), Security.Roles.Admin),
        FunctionDefinition.Http("ListInstalledCompanies", "GET", Client + "/companies", static (app, f) => app.MapMethods(f.AppPath, f.Methods, InstalledCompaniesEndpoints.ListCompanies)),
        FunctionDefinition.Http("CreateCompanyWorkspaces", "POST", Client + "/companies", static (app, f) => app.MapMethods(f.AppPath, f.Methods, InstalledCompaniesEndpoints.CreateWorkspaces)),
        FunctionDefinition.Http("Connect", "GET", "workspaces/{id}/connect", static (app, f) => app.MapMethods(f.AppPath, f.Methods, ConnectLinkEndpoints.Connect)),
        FunctionDefinition.Http("OAuthCallback", "GET", "oauth/callback", static (app, f) => app.MapMethods(f.AppPath, f.Methods, ConnectEndpoints.Callback), policy: null),
        // Connect links: the partner creates one; a person's browser opens it without credentials (the token in the path is the credential).
        FunctionDefinition.Http("CreateConnectLink", "POST", "workspaces/{id}/connect-links", static (app, f) => app.MapMethods(f.AppPath, f.Methods, ConnectLinkEndpoints.Create)),
        FunctionDefinition.Http("ShowConnectLink", "GET", LinkPage, static (app, f) => app.MapMethods(f.AppPath, f.Methods, ConnectLinkEndpoints.Show).WithMetadata(SecretInPath.Instance), policy: null),
        FunctionDefinition.Http("StartConnectLink", "POST", LinkPage, static (app, f) => app.MapMethods(f.AppPath, f.Methods, ConnectLinkEndpoints.Start).WithMetadata(SecretInPath.Instance), policy: null),
        FunctionDefinition.Http("GetToken", "GET", "workspaces/{id}/token", static (app, f) => app.MapMethods(f.AppPath, f.Methods, TokenEndpoints.GetToken).WithMetadata(HotTokenRoute.Instance)),
        FunctionDefinition.Http("RefreshToken", "POST", "workspaces/{id}/token/refresh", static (app, f) => app.MapMethods(f.AppPath, f.Methods, TokenEndpoints.RefreshToken)),
        FunctionDefinition.Http("ValidateConnection", "POST", "workspaces/{id}/validate", static (app, f) => app.MapMethods(f.AppPath, f.Methods, ValidationEndpoints.Validate)),
        FunctionDefinition.Http("ConfigureProcoreWebhook", "PUT", "workspaces/{id}/webhooks/procore", static (app, f) => app.MapMethods(f.AppPath, f.Methods, WebhookEndpoints.Configure)),
        FunctionDefinition.Http("ReceiveProcoreWebhook", "POST", "webhooks/procore/{workspaceKey}", static (app, f) => app.MapMethods(f.AppPath, f.Methods, WebhookEndpoints.Receive), policy: null),
        FunctionDefinition.Http("ListKnownProjects", "GET", "workspaces/{id}/projects", static (app, f) => app.MapMethods(f.AppPath, f.Methods, WebhookEndpoints.Projects)),
        FunctionDefinition.Http("SetPartnerWebhook", "PUT", "partner/webhook", static (app, f) => app.MapMethods(f.AppPath, f.Methods, PartnerWebhookEndpoints.Set)),
        FunctionDefinition.Http("GetPartnerWebhook", "GET", "partner/webhook", static (app, f) => app.MapMethods(f.AppPath, f.Methods, PartnerWebhookEndpoints.Get)),
        FunctionDefinition.Http("DeletePartnerWebhook", "DELETE", "partner/webhook", static (app, f) => app.MapMethods(f.AppPath, f.Methods, PartnerWebhookEndpoints.Delete)),
        FunctionDefinition.Http("GetPartnerSettings", "GET", "partner/settings", static (app, f) => app.MapMethods(f.AppPath, f.Methods, Partners.PartnerSettingsEndpoints.Get)),
        FunctionDefinition.Http("PutPartnerSettings", "PUT", "partner/settings", static (app, f) => app.MapMethods(f.AppPath, f.Methods, Partners.PartnerSettingsEndpoints.Put)),
        FunctionDefinition.Http("ListPartnerEvents", "GET", "partner/events", static (app, f) => app.MapMethods(f.AppPath, f.Methods, PartnerWebhookEndpoints.ListEvents)),
        FunctionDefinition.Http("GetAudit", "GET", "workspaces/{id}/audit", static (app, f) => app.MapMethods(f.AppPath, f.Methods, AuditEndpoints.GetAudit)),
        // Admin only, yet not under "admin/": the Functions host refuses every route that starts with
        // "admin" or "runtime", its own built-in routes (see HostRouteTests).
        FunctionDefinition.Http("CreatePartnerKey", "POST", "partners/{partnerId}/keys", static (app, f) => app.MapMethods(f.AppPath, f.Methods, PartnerKeyEndpoints.CreateKey), Security.Roles.Admin),
        FunctionDefinition.Http("ListPartnerKeys", "GET", "partners/{partnerId}/keys", static (app, f) => app.MapMethods(f.AppPath, f.Methods, PartnerKeyEndpoints.ListKeys), Security.Roles.Admin),
        FunctionDefinition.Http("RevokePartnerKey", "DELETE", "partners/{partnerId}/keys/{keyId}", static (app, f) => app.MapMethods(f.AppPath, f.Methods, PartnerKeyEndpoints.RevokeKey), Security.Roles.Admin),
        FunctionDefinition.Http("MigrateInlineClients", "POST", "migrations/inline-clients", static (app, f) => app.MapMethods(f.AppPath, f.Methods, Migrations.MigrationEndpoints.MigrateInlineClients), Security.Roles.Admin),
        FunctionDefinition.Http(ApiDocsEndpoints.DocumentFunction, "GET", ApiDocsEndpoints.DocumentRoute, static (app, f) => app.MapMethods(f.AppPath, f.Methods, ApiDocsEndpoints.GetDocument), policy: null),
        FunctionDefinition.Http(ApiDocsEndpoints.ReferenceFunction, "GET", ApiDocsEndpoints.ReferenceRoute, ApiDocsEndpoints.MapReference, policy: null),
        FunctionDefinition.Timer("PurgeDeletedWorkspaces", "0 */15 * * * *", PurgeDeletedWorkspaces.RunAsync),
        FunctionDefinition.Timer("RefreshTokens", "0 */5 * * * *", RefreshFunctions.SweepAsync),
        FunctionDefinition.Queue("RefreshWorkspace", RefreshQueue, RefreshFunctions.RefreshOneAsync),
        // The messages the host moved to "{queue}-poison" after host.json's maxDequeueCount failed tries.
        FunctionDefinition.Queue("RefreshPoisoned", RefreshQueue, RefreshFunctions.GiveUpAsync, RefreshQueueClient.PoisonSuffix),
        FunctionDefinition.Timer("CheckConnections", "0 0 3 * * *", CheckConnections.RunAsync),
        FunctionDefinition.Timer("DeliverEvents", "0 * * * * *", DeliverEvents.RunAsync),
    ];
}
