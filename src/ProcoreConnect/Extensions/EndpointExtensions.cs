using ProcoreConnect.Admin;
using ProcoreConnect.ClientManagement;
using ProcoreConnect.ConnectLinks;
using ProcoreConnect.Events;
using ProcoreConnect.Health;
using ProcoreConnect.Hosting;
using ProcoreConnect.Maintenance;
using ProcoreConnect.Migrations;
using ProcoreConnect.OpenApi;
using ProcoreConnect.Partners;
using ProcoreConnect.ProcoreCalls;
using ProcoreConnect.Refresh;
using ProcoreConnect.Tokens;
using ProcoreConnect.Validation;
using ProcoreConnect.Webhooks;
using ProcoreConnect.WorkspaceConnections;

namespace ProcoreConnect.Extensions;

/// <summary>
/// Maps every endpoint the app serves, once, each feature its own. The functions and their
/// bindings, the rate-limited set and the OpenAPI document are all read from what this maps.
/// </summary>
public static class EndpointExtensions
{
    /// <summary>The HTTP functions under <c>/api</c>, the timers and queues, and the host's readiness probe.</summary>
    public static IEndpointRouteBuilder MapProcoreConnect(this IEndpointRouteBuilder app)
    {
        app.MapHostReadiness();

        // A group of its own for each feature keeps the endpoints in this order, which is the
        // OpenAPI document's (a group lists the endpoints mapped on it before its nested groups').
        app.MapHttpFunctions().MapHealth();
        app.MapHttpFunctions().MapWorkspaces();
        app.MapHttpFunctions().MapConnectionPatch();
        app.MapHttpFunctions().MapOAuthClients();
        app.MapHttpFunctions().MapClientGrants();
        app.MapHttpFunctions().MapInstalledCompanies();
        app.MapHttpFunctions().MapConnectLinks();
        app.MapHttpFunctions().MapOAuthCallback();
        app.MapHttpFunctions().MapTokens();
        app.MapHttpFunctions().MapProcoreCalls();
        app.MapHttpFunctions().MapValidation();
        app.MapHttpFunctions().MapProcoreWebhooks();
        app.MapHttpFunctions().MapPartnerWebhook();
        app.MapHttpFunctions().MapPartnerEvents();
        app.MapHttpFunctions().MapPartnerSettings();
        app.MapHttpFunctions().MapOwnKeys();
        app.MapHttpFunctions().MapAudit();
        app.MapHttpFunctions().MapPartnerKeys();
        app.MapHttpFunctions().MapMigrations();
        app.MapHttpFunctions().MapApiDocs();

        app.MapPurgeDeletedWorkspaces();
        app.MapRefreshFunctions();
        app.MapCheckConnections();
        app.MapDeliverEvents();
        app.MapPurgeProcoreCalls();
        return app;
    }
}
