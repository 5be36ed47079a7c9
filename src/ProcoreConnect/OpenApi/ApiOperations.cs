using System.Collections.Frozen;
using ProcoreConnect.ClientManagement;
using ProcoreConnect.Clients;
using ProcoreConnect.ConnectLinks;
using ProcoreConnect.Http;
using ProcoreConnect.Tokens;
using ProcoreConnect.Webhooks;
using ProcoreConnect.Workspaces;
using static ProcoreConnect.OpenApi.ResponseDoc;
using X = ProcoreConnect.OpenApi.ApiExamples;

namespace ProcoreConnect.OpenApi;

/// <summary>
/// The OpenAPI description of every HTTP function, keyed by function name (the function table
/// names the route and the handler; this says what they mean). A function without an entry is
/// caught by <c>OpenApiDocumentTests</c>, so a new route cannot ship undocumented.
/// </summary>
public static class ApiOperations
{
    /// <summary>
    /// The functions that serve the documentation itself: the document and the reference page
    /// describe the API, they are not part of it, so the document leaves them out.
    /// </summary>
    public static FrozenSet<string> DocumentationFunctions { get; } = FrozenSet.Create(ApiDocsEndpoints.DocumentFunction, ApiDocsEndpoints.ReferenceFunction);

    /// <summary>The tags in the order the reference lists them, with what each groups.</summary>
    public static IReadOnlyList<(string Name, string Description)> Tags { get; } =
    [
        (Workspaces, "A workspace is one customer's Procore connection: its company, environment and OAuth client."),
        (OAuthClients, "A Procore app's credentials, created once and named by many workspaces; DMSA installations."),
        (Connecting, "The authorization code flow: a person signs in to Procore for a workspace."),
        (Tokens, "A valid access token whenever a partner needs to call Procore."),
        (ProcoreWebhooks, "Procore's webhook deliveries for a workspace, and the projects they announce."),
        (PartnerEvents, "Connection events sent to the partner's own webhook."),
        (Administration, "Partner API keys and upgrades; admin only."),
        (Service, "Probes."),
    ];

    private const string Workspaces = "Workspaces";
    private const string OAuthClients = "OAuth clients";
    private const string Connecting = "Connecting";
    private const string Tokens = "Tokens";
    private const string ProcoreWebhooks = "Procore webhooks";
    private const string PartnerEvents = "Partner events";
    private const string Administration = "Administration";
    private const string Service = "Service";

    private static readonly ResponseDoc InvalidId = Invalid(Problems.InvalidWorkspaceId(), "The id is not a workspace id.");
    private static readonly ResponseDoc NoWorkspace = Problem(
        Problems.WorkspaceNotFound(X.WorkspaceId), "The caller has no workspace of this id (another partner's answers the same).");
    private const string ReturnUrlRule = OAuth.ReturnUrls.Rule;
    private static readonly ResponseDoc NoGrantOrClient = Problem(
        TypedResults.Problem($"Partner '{X.PartnerId}' has no grant on OAuth client 'shared-dmsa'.", statusCode: StatusCodes.Status404NotFound, title: "Not found"),
        "No public client of this name, or no grant for the partner.");
    private static readonly ResponseDoc InvalidName = Invalid(OAuthClientEndpoints.InvalidName(), "The name is not an OAuth client name.");
    private static readonly ResponseDoc NoClient = Problem(
        OAuthClientEndpoints.NotFound(X.ClientName), "Neither the caller nor the operator has an OAuth client of this name.");
    private static readonly ResponseDoc PublicClient = Problem(
        OAuthClientEndpoints.PublicIsReadOnly("shared-dmsa"), "The name is a public client's: partners use it, only the operator changes it.");
    private static readonly ResponseDoc InvalidPaging = Invalid(Paging.Read("0", null).Problem!, "`pageSize` is not 1-100, or `continuationToken` is not one this API returned.");
    private static readonly ResponseDoc InvalidPartnerId = Invalid(Problems.InvalidPartnerId(), "The partner id is not of the workspace id shape.");
    private static readonly ResponseDoc ProcoreUnavailable = Problem(
        TokenEndpoints.Problem(X.WorkspaceId, new TokenOutcome(TokenStatus.ProcoreUnavailable, Detail: "Procore's token endpoint failed (server_error); retry later.")),
        "Procore failed or could not be reached.");

    /// <summary>Descriptions of route and query parameters, by name, wherever they appear.</summary>
    public static IReadOnlyDictionary<string, string> Parameters { get; } = new Dictionary<string, string>
    {
        ["id"] = "The workspace id, the partner's own: " + WorkspaceId.Rule,
        ["name"] = "The OAuth client's name: " + WorkspaceId.Rule,
        ["partnerId"] = "The partner's id: " + WorkspaceId.Rule,
        ["keyId"] = "The key's id: 16 lower-case hex characters (the part after `pck_`).",
        ["workspaceKey"] = "The workspace key from the delivery URL (the workspace id, '-' and 16 hex digits).",
        ["pageSize"] = $"Items per page, {1} to {Paging.MaxPageSize} (default {Paging.DefaultPageSize}).",
        ["continuationToken"] = "The `continuationToken` of the previous page; absent for the first.",
        ["returnUrl"] = "Where to send the browser after the callback (`?workspaceId=…&status=…` is added); its origin must be one of the caller's allowed return origins (`PUT /api/partner/settings`).",
        ["environment"] = "`production`, `sandbox` or `monthly`.",
        ["companyId"] = "A company where the app is installed, sent to Procore as `Procore-Company-Id` (default: one of the client's workspaces').",
        ["state"] = "The state this service sent to Procore.",
        ["code"] = "The authorization code (single use, valid 10 minutes).",
        ["error"] = "Procore's error when the person did not allow the app (`access_denied`).",
        ["error_description"] = "Procore's words for the error, if any.",
    }.ToFrozenDictionary();

    /// <summary>Every HTTP function's description but the documentation's own, by function name.</summary>
    public static IReadOnlyDictionary<string, OperationDoc> ByFunction { get; } = new Dictionary<string, OperationDoc>
    {
        ["Health"] = new()
        {
            Tag = Service,
            Summary = "Storage and secret-store reachability",
            Description = "For probes: anonymous, answered from the last check (as of `checkedAt`) for `Health:CacheDuration` (15 s), so the "
                + "dependencies are asked at most once per window; the first check runs in the background while the app starts. "
                + "`?deep=true` checks now and is for admins only.",
            Responses =
            [
                Json(StatusCodes.Status200OK, "Every dependency answers.", X.Healthy),
                Invalid(Problems.Field("deep", "Must be true or false."), "`deep` is neither `true` nor `false`."),
                Problem(TypedResults.Problem("A deep health check needs admin credentials; GET /api/health answers the last check.", statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized"),
                    "`?deep=true` without credentials."),
                Problem(TypedResults.Problem("A deep health check is for admins; GET /api/health answers the last check.", statusCode: StatusCodes.Status403Forbidden, title: "Forbidden"),
                    "`?deep=true` with a partner's credentials."),
                Json(StatusCodes.Status503ServiceUnavailable, "A dependency does not answer; `checks` says which.", X.Unhealthy),
            ],
        },
        ["ListWorkspaces"] = new()
        {
            Tag = Workspaces,
            Summary = "List the caller's workspaces",
            Description = "`tag.{key}=value` (up to 4, each key once) lists only workspaces carrying every such tag; a filtered page may hold fewer than `pageSize` items.",
            Responses =
            [
                Ok(StatusCodes.Status200OK, "A page of workspaces; pass `continuationToken` back for the next (null on the last page).", X.Workspaces),
                InvalidPaging,
                Invalid(Problems.Field("tag.crmAccount", $"Give each tag filter once, with a value of 1 to {WorkspaceTags.MaxValueLength} characters."), "A `tag.` filter is malformed, repeated or one too many."),
            ],
        },
        ["ListNeedsAttention"] = new()
        {
            Tag = Workspaces,
            Summary = "The caller's workspaces and OAuth clients that need a person",
            Description = "Each reason has a `code`, a `detail`, the `action` that fixes it and, when known, `since`. Healthy workspaces are left out.",
            Responses = [Ok(StatusCodes.Status200OK, "Everything to act on, in one answer.", X.NeedsAttention)],
        },
        ["GetConnection"] = new()
        {
            Tag = Workspaces,
            Summary = "Read a workspace's connection",
            ETag = true,
            Responses = [Ok(StatusCodes.Status200OK, "The connection (never a secret).", X.Connection), InvalidId, NoWorkspace],
        },
        ["PutConnection"] = new()
        {
            Tag = Workspaces,
            Summary = "Create or update a workspace's connection",
            Description = "Choosing another OAuth client or environment makes held tokens useless: the workspace goes back to `pending`, "
                + "its old grant is revoked at Procore. Unknown fields are refused, and a rejected request changes nothing.",
            Request = RequestDoc.Json(X.ConnectionRequest, "companyId", "environment", "oauthClient"),
            IfMatch = true,
            ETag = true,
            Responses =
            [
                Ok(StatusCodes.Status201Created, "Created, `pending` until connected.", X.PendingConnection),
                Ok(StatusCodes.Status200OK, "Updated.", X.Connection),
                InvalidId,
                Invalid(Problems.Fields(ConnectionRequestValidator.Validate(X.ConnectionRequest with { CompanyId = 0, Environment = "staging" }).Errors),
                    "A field is missing or invalid; `errors` names every one."),
                Invalid(Problems.Field("authFlow", ConnectionRequest.MovedFields["authFlow"]), "A field that moved to OAuth clients (`authFlow`, `clientId`, `clientSecret`, …)."),
                Problem(Problems.Conflict($"Workspace '{X.WorkspaceId}' was changed by a concurrent request; read it and retry."),
                    "Another write won the race, or the workspace is being deleted."),
                Problem(Problems.Forbidden("companyId", $"OAuth client 'shared-dmsa' is a public client, and the operator has not granted you company 1002 on it: "
                    + $"ask the operator for a grant (PUT /api/oauth-clients/shared-dmsa/grants/{X.PartnerId}), or use an OAuth client of your own."),
                    "`oauthClient` is a public client and the operator has not granted the caller `companyId` on it; nothing was written."),
                Problem(Problems.Refused("refreshToken", "Procore refused the refresh token (invalid_grant): it was used already, revoked, expired, or issued to another app. Nothing was changed."),
                    "Procore refused the imported `refreshToken` (or, naming `oauthClient`, the client's credentials); nothing was written."),
                ProcoreUnavailable with { Description = "Procore could not be asked to redeem the imported `refreshToken`; nothing was written." },
            ],
        },
        ["DeleteConnection"] = new()
        {
            Tag = Workspaces,
            Summary = "Delete a workspace",
            Description = "Revokes its grant at Procore (a failed revocation is logged, not fatal), then deletes every secret it owns and its row.",
            IfMatch = true,
            Responses =
            [
                Ok(StatusCodes.Status204NoContent, "Deleted."),
                InvalidId,
                NoWorkspace,
                Problem(Problems.Conflict($"Workspace '{X.WorkspaceId}' changed while it was being deleted; retry."), "Another write won the race."),
            ],
        },
        ["ListOAuthClients"] = new()
        {
            Tag = OAuthClients,
            Summary = "List OAuth clients: the caller's, then the public ones",
            Responses = [Ok(StatusCodes.Status200OK, "A page of clients (never a secret).", X.Clients), InvalidPaging],
        },
        ["GetOAuthClient"] = new()
        {
            Tag = OAuthClients,
            Summary = "Read an OAuth client",
            Description = "The caller's client of this name, else the public one; `workspaceCount` counts the caller's own workspaces only.",
            ETag = true,
            Responses = [Ok(StatusCodes.Status200OK, "The client, with the secret's status only.", X.Client), InvalidName, NoClient],
        },
        ["PutOAuthClient"] = new()
        {
            Tag = OAuthClients,
            Summary = "Create or update an OAuth client",
            Description = "An admin writes public clients, which every partner may name. `clientSecret` is write-only: required on create, "
                + "absent on update keeps the current one. `authFlow` is fixed once the client exists, and `clientId` cannot change while a workspace uses the client.",
            Request = RequestDoc.Json(X.ClientRequest, "authFlow", "clientId"),
            IfMatch = true,
            ETag = true,
            Responses =
            [
                Ok(StatusCodes.Status201Created, "Created.", X.Client with { WorkspaceCount = null }),
                Ok(StatusCodes.Status200OK, "Updated.", X.Client with { WorkspaceCount = null }),
                InvalidName,
                Invalid(Problems.Fields(OAuthClientRequestValidator.Validate(X.ClientRequest with { AuthFlow = "password" }).Errors),
                    "A field is missing or invalid; `errors` names every one."),
                Problem(Problems.Conflict($"OAuth client '{X.ClientName}' was changed by a concurrent request; read it and retry."),
                    "Another write won the race, the name is a public client's, or `clientId` changed while workspaces use the client."),
            ],
        },
        ["DeleteOAuthClient"] = new()
        {
            Tag = OAuthClients,
            Summary = "Delete an OAuth client and its secrets",
            IfMatch = true,
            Responses =
            [
                Ok(StatusCodes.Status204NoContent, "Deleted."),
                InvalidName,
                PublicClient,
                NoClient,
                Problem(Problems.Conflict($"OAuth client '{X.ClientName}' is used by 3 workspaces: delete them or move them to another client first."),
                    "Workspaces still use the client (for a public client, any partner's); nothing changed."),
            ],
        },
        ["RotateOAuthClientSecret"] = new()
        {
            Tag = OAuthClients,
            Summary = "Rotate the client secret for every workspace of the client",
            Description = "Stores the new secret as a new version, proves it against Procore (a client-credentials token request in `environment` "
                + "or a workspace's; for the code flow, a refresh of one connected workspace), and only then makes it current.",
            Request = RequestDoc.Json(X.SecretRotation, "clientSecret"),
            Responses =
            [
                Ok(StatusCodes.Status200OK, "The new secret is current.", X.Client with { WorkspaceCount = null }),
                InvalidName,
                Invalid(Problems.Field("clientSecret", "Required: " + OAuthClientRequestValidator.SecretRule), "`clientSecret` or `environment` is missing or invalid."),
                PublicClient,
                NoClient,
                Problem(Problems.Conflict("No workspace of the client is connected: the new secret cannot be proven yet."),
                    "Nothing to prove the secret with (no connected workspace), or the client changed meanwhile."),
                Problem(OAuthClientEndpoints.SecretRefused(), "Procore refused the new secret; the current one stays in use."),
                ProcoreUnavailable,
            ],
        },
        ["PutOAuthClientGrant"] = new()
        {
            Tag = OAuthClients,
            Summary = "Grant a partner companies on a public client (admin only)",
            Description = "Replaces the list. On a public client-credentials client a partner may use only granted companies (the app's token reaches every "
                + "company that installed it); on a public code-flow client a grant, when set, restricts the partner to it. Workspaces on companies no "
                + "longer granted get no token (`403 grant_revoked`) and show `grant_revoked` in needs-attention.",
            Request = RequestDoc.Json(X.GrantRequest, "companyIds"),
            Responses =
            [
                Ok(StatusCodes.Status200OK, "The grant as stored.", X.Grant),
                Invalid(Problems.Field("companyIds", $"Required: a list of at most {ClientGrantEndpoints.MaxCompanies} positive Procore company ids ([] grants none)."), "`companyIds` (or the route) is invalid."),
                NoGrantOrClient with { Description = "No public client of this name." },
            ],
        },
        ["GetOAuthClientGrant"] = new()
        {
            Tag = OAuthClients,
            Summary = "A partner's grant on a public client (admin only)",
            Responses = [Ok(StatusCodes.Status200OK, "The grant.", X.Grant), InvalidName, NoGrantOrClient],
        },
        ["DeleteOAuthClientGrant"] = new()
        {
            Tag = OAuthClients,
            Summary = "Remove a partner's grant on a public client (admin only)",
            Description = "On a client-credentials client the partner then may use no company; on a code-flow client, any its people sign in to.",
            Responses = [Ok(StatusCodes.Status204NoContent, "Removed."), InvalidName, NoGrantOrClient],
        },
        ["ListInstalledCompanies"] = new()
        {
            Tag = OAuthClients,
            Summary = "DMSA: the companies where the app is installed",
            Description = "Lists Procore's `/rest/v1.0/companies` for the caller's own client-credentials client, each company with the caller's workspaces mapped to it.",
            Responses = CompaniesResponses(Ok(StatusCodes.Status200OK, "The installed companies.", X.InstalledCompanies)),
        },
        ["CreateCompanyWorkspaces"] = new()
        {
            Tag = OAuthClients,
            Summary = "DMSA: create workspaces for installed companies",
            Description = "One workspace per chosen company (`companyIds`), or per installed company without one; ids are `workspaceIdPrefix` and the company id. "
                + "The answer has a result per company.",
            Request = RequestDoc.Json(X.CreateCompanyWorkspaces, "environment"),
            Responses = CompaniesResponses(Ok(StatusCodes.Status200OK, "What happened for each company.", X.CompanyWorkspaces)),
        },
        ["Connect"] = new()
        {
            Tag = Connecting,
            Summary = "Start the authorization code flow",
            Description = "Call it server-side with the partner's credentials and send the person's browser to the `Location` it answers "
                + $"(the browser holds no API key): a new connect link's page, valid {ConnectLinkEndpoints.ConnectRedirectLifetime.TotalMinutes} minutes, "
                + "whose Connect button starts the sign-in in that browser. Every sign-in starts on this service's page, so it can finish only in the browser that started it.",
            Responses =
            [
                Redirect("To a new connect link's page.", "https://connect.example.com/api/connect/(a new link's token)"),
                InvalidId,
                Invalid(Problems.Field("returnUrl", ReturnUrlRule), "`returnUrl` is not on one of the caller's allowed return origins."),
                NoWorkspace,
                Problem(Problems.Conflict("This workspace uses client_credentials: it connects without a browser (call /token or /validate)."),
                    "The workspace's client uses client credentials, or no longer exists."),
            ],
        },
        ["CreateConnectLink"] = new()
        {
            Tag = Connecting,
            Summary = "A link to send the person who signs in",
            Description = "For an authorization-code workspace: a URL of this service that works in a plain browser without credentials, "
                + "shown once (only its hash is kept). It works until `expiresAt` and until a sign-in through it connects the workspace. "
                + "The body and each field are optional.",
            Request = RequestDoc.Json(X.ConnectLinkRequest) with { Optional = true },
            Responses =
            [
                Ok(StatusCodes.Status201Created, "The link and when it stops working.", X.ConnectLink),
                InvalidId,
                Invalid(Problems.Field("lifetimeSeconds", $"Must be a whole number of seconds from 1 to {ConnectLinkEndpoints.MaxLifetimeSeconds} (7 days); the default is {ConnectLinkEndpoints.DefaultLifetimeSeconds}."),
                    "`returnUrl` is not on an allowed origin, or `lifetimeSeconds` is out of range."),
                NoWorkspace,
                Problem(Problems.Conflict("This workspace uses client_credentials: it connects without a browser (call /token or /validate)."),
                    "The workspace's client uses client credentials, or no longer exists."),
            ],
        },
        ["ShowConnectLink"] = new()
        {
            Tag = Connecting,
            Summary = "The connect link's page (for a person's browser)",
            Description = "Anonymous; the token in the path is the credential. Opening it changes nothing: it shows the workspace, the company "
                + "and a Connect button (a form posting to the same URL).",
            Responses =
            [
                Html(StatusCodes.Status200OK, "Open (or a sign-in in progress, or already connected): the page."),
                Html(StatusCodes.Status404NotFound, "No such link, or its workspace is gone."),
                Html(StatusCodes.Status410Gone, "The link was used or expired."),
            ],
        },
        ["StartConnectLink"] = new()
        {
            Tag = Connecting,
            Summary = "The page's Connect button",
            Description = "Anonymous: claims the link for a new sign-in (replacing an unfinished one), sets the sign-in's cookie (HttpOnly, "
                + "SameSite=Lax; `__Host-` and Secure when the service's URL is https) and sends the browser to Procore with a PKCE challenge. "
                + "A link that is used, expired, gone or whose workspace is connected answers its page and nothing is written.",
            Responses =
            [
                Redirect("To Procore's sign-in.", "https://login.procore.com/oauth/authorize?response_type=code&client_id=…&state=…", StatusCodes.Status303SeeOther),
                Html(StatusCodes.Status200OK, "The workspace is already connected: the page says so."),
                Html(StatusCodes.Status403Forbidden, "The browser says another site posted the form (`Sec-Fetch-Site`, else `Origin`): nothing is done."),
                Html(StatusCodes.Status404NotFound, "No such link, or its workspace is gone."),
                Html(StatusCodes.Status410Gone, "The link was used or expired."),
            ],
        },
        ["OAuthCallback"] = new()
        {
            Tag = Connecting,
            Summary = "Procore's redirect back (the redirect_uri)",
            Description = "For the person's browser, anonymous, and only in the browser that pressed Connect (its sign-in cookie): exchanges the code, "
                + "checks that the new grant sees the workspace's company (else revokes it), stores the tokens, revokes the grant they replace, marks the "
                + "workspace `connected` and validates it. Answers a small HTML page, or redirects to the `returnUrl` given to connect.",
            Responses =
            [
                Html(StatusCodes.Status200OK, "Connected (the page says whether the connection check found a problem)."),
                Redirect("To the `returnUrl` given to connect, with `workspaceId` and `status` (`connected`, `connected_with_warnings` or `failed`).",
                    "https://partner.example.com/done?workspaceId=acme-hq&status=connected"),
                Html(StatusCodes.Status400BadRequest, "The state is unknown, expired or used; the browser is not the one that pressed Connect (nothing is exchanged); "
                    + "the link expired; or Procore sent no code (`access_denied`)."),
                Html(StatusCodes.Status403Forbidden, "The account that signed in cannot see the workspace's company: its grant was revoked, and the workspace shows `company_not_visible`."),
                Html(StatusCodes.Status404NotFound, "The workspace no longer exists or no longer uses the browser flow."),
                Html(StatusCodes.Status409Conflict, "The workspace changed while the person signed in; the new grant was revoked."),
                Html(StatusCodes.Status502BadGateway, "Procore refused the code exchange, or could not confirm the company."),
            ],
        },
        ["GetToken"] = new()
        {
            Tag = Tokens,
            Summary = "A valid access token for the workspace",
            Description = "Refreshed first when within `Tokens:RefreshLeadTime` of expiry; concurrent calls cause one request at Procore. "
                + "Call Procore with `Authorization: Bearer {accessToken}` and `Procore-Company-Id: {companyId}`. Answers `Cache-Control: no-store`. "
                + "A `409` says why in its `code`.",
            Responses = TokenResponses("A token valid for a while yet."),
        },
        ["RefreshToken"] = new()
        {
            Tag = Tokens,
            Summary = "A new access token now",
            Description = "Refreshes at Procore whatever the held token's expiry (after a permission change, or when Procore refused a token). "
                + "Concurrent calls cause one refresh and all get its token; while refreshes fail no old token is handed back.",
            Responses = TokenResponses("A token issued by this call's refresh (or a concurrent one)."),
        },
        ["ValidateConnection"] = new()
        {
            Tag = Workspaces,
            Summary = "Check the connection against Procore",
            Description = "Gets a token and calls `/rest/v1.0/me` and `/rest/v1.0/companies` (for a DMSA workspace also the projects). "
                + "A failed check still answers 200: `ok` is false, each step says what it saw, and `fix` what to do in Procore.",
            Responses = [Ok(StatusCodes.Status200OK, "The report.", X.Validation), InvalidId, NoWorkspace],
        },
        ["ConfigureProcoreWebhook"] = new()
        {
            Tag = ProcoreWebhooks,
            Summary = "A new Authorization value for the workspace's Procore hook",
            Description = "Create a hook in Procore with the `deliveryUrl` as its destination and the `authorization` value as its `Authorization` header. "
                + "The value is shown once (`Cache-Control: no-store`); calling again replaces it.",
            Responses = [Ok(StatusCodes.Status200OK, "The hook's destination and Authorization value.", X.HookSettings), InvalidId, NoWorkspace],
        },
        ["ReceiveProcoreWebhook"] = new()
        {
            Tag = ProcoreWebhooks,
            Summary = "Procore's webhook deliveries",
            Description = "For Procore, anonymous: the hook's `Authorization` value is checked in constant time. Payload formats v2, v3 and v4 are accepted "
                + "when their `company_id` is the workspace's company, stored once per `ulid` (v4: `id`) and acknowledged at once; a repeat answers `duplicate: true`.",
            Request = new RequestDoc(typeof(System.Text.Json.JsonElement), X.ProcoreDelivery, []),
            Responses =
            [
                Ok(StatusCodes.Status200OK, "Stored (or a repeat).", X.Delivery),
                Invalid(Problems.Field("body", "A Procore delivery (payload v2, v3 or v4) with an id or ulid is required."), "Not a Procore delivery; nothing is stored."),
                Invalid(WebhookEndpoints.OtherCompany(1001), "The delivery's `company_id` is missing or not the workspace's (Procore signs nothing, so the company must match); nothing is stored."),
                When(StatusCodes.Status401Unauthorized, "Unknown workspace key or wrong `Authorization` value."),
            ],
        },
        ["ListKnownProjects"] = new()
        {
            Tag = ProcoreWebhooks,
            Summary = "Projects Procore announced, and whether the app sees them yet",
            Description = "From `Projects` `create` deliveries; `visibleToApp` comes from `/rest/v1.0/projects` (null when Procore could not tell), "
                + "so a partner sees the projects not yet permitted to a DMSA app.",
            Responses = [Ok(StatusCodes.Status200OK, "The known projects.", X.Projects), InvalidId, NoWorkspace],
        },
        ["SetPartnerWebhook"] = new()
        {
            Tag = PartnerEvents,
            Summary = "Register the caller's event webhook",
            Description = "Events (`connected`, `refresh_failed`, `needs_reauthorization`, `secret_expiring`) are posted to the URL, signed with the secret "
                + "answered here once (`Cache-Control: no-store`). Calling again replaces URL and secret.",
            Request = RequestDoc.Json(X.PartnerWebhook, "url"),
            Responses =
            [
                Ok(StatusCodes.Status200OK, "Registered; the signing secret is shown this once.", X.PartnerWebhookRegistration),
                Invalid(Problems.Field("url", "Must be an absolute https URL (at most 2048 characters, no credentials, not a private or link-local address)."), "`url` is not acceptable."),
            ],
        },
        ["GetPartnerWebhook"] = new()
        {
            Tag = PartnerEvents,
            Summary = "Read the caller's event webhook",
            Responses = [Ok(StatusCodes.Status200OK, "The URL (never the secret).", X.PartnerWebhookView), When(StatusCodes.Status404NotFound, "None is registered.")],
        },
        ["DeletePartnerWebhook"] = new()
        {
            Tag = PartnerEvents,
            Summary = "Stop sending events",
            Responses = [Ok(StatusCodes.Status204NoContent, "Removed."), When(StatusCodes.Status404NotFound, "None is registered.")],
        },
        ["GetPartnerSettings"] = new()
        {
            Tag = PartnerEvents,
            Summary = "Read the caller's settings",
            Responses = [Ok(StatusCodes.Status200OK, "The settings (empty until set).", X.PartnerSettings)],
        },
        ["PutPartnerSettings"] = new()
        {
            Tag = PartnerEvents,
            Summary = "Set the caller's settings",
            Description = "`allowedReturnOrigins`: the origins the caller's `returnUrl`s may point at (replaces the list). Each partner's own: "
                + "no other partner's links can send a browser there.",
            Request = RequestDoc.Json(X.PartnerSettingsRequest, "allowedReturnOrigins"),
            Responses =
            [
                Ok(StatusCodes.Status200OK, "The settings as stored (origins in canonical form).", X.PartnerSettings),
                Invalid(Problems.Field("allowedReturnOrigins[0]", Partners.ReturnOrigins.Rule), "An origin is not acceptable; `errors` names each."),
            ],
        },
        ["ListPartnerEvents"] = new()
        {
            Tag = PartnerEvents,
            Summary = "The caller's newest 100 events and their delivery state",
            Responses = [Ok(StatusCodes.Status200OK, "Newest first.", X.Events)],
        },
        ["GetAudit"] = new()
        {
            Tag = Workspaces,
            Summary = "The workspace's configuration history",
            Description = "Who changed what and when, newest 100 entries; field names only, never values.",
            Responses = [Ok(StatusCodes.Status200OK, "The entries.", X.Audit), InvalidId, NoWorkspace],
        },
        ["CreatePartnerKey"] = new()
        {
            Tag = Administration,
            Summary = "Create a partner API key",
            Description = "The key is in this answer only (`Cache-Control: no-store`); the service keeps a salted hash. The body is optional.",
            Request = new RequestDoc(typeof(Admin.PartnerKeyEndpoints.CreateKeyRequest), X.KeyRequest, [], Optional: true),
            Responses =
            [
                Ok(StatusCodes.Status201Created, "Created; send it as `X-Api-Key`.", X.CreatedKey),
                InvalidPartnerId,
                Invalid(Problems.Field("name", "At most 100 characters, no control characters."), "`name` is too long or has control characters."),
            ],
        },
        ["ListPartnerKeys"] = new()
        {
            Tag = Administration,
            Summary = "List a partner's API keys",
            Responses = [Ok(StatusCodes.Status200OK, "Ids, names and dates, never keys.", X.Keys), InvalidPartnerId],
        },
        ["RevokePartnerKey"] = new()
        {
            Tag = Administration,
            Summary = "Revoke a partner API key",
            Description = "Immediately on the instance that revokes it, within `Auth:KeyCacheDuration` (30 s) on the others.",
            Responses =
            [
                Ok(StatusCodes.Status204NoContent, "Revoked."),
                InvalidPartnerId,
                Invalid(Problems.Field("keyId", "Key ids are 16 lower-case hex characters."), "`keyId` is not a key id."),
                Problem(TypedResults.Problem($"Key '816891213d8e0f5f' of partner '{X.PartnerId}' was not found.", statusCode: StatusCodes.Status404NotFound, title: "Not found"),
                    "The partner has no such key."),
            ],
        },
        ["MigrateInlineClients"] = new()
        {
            Tag = Administration,
            Summary = "Move workspaces with inline credentials onto OAuth clients",
            Description = "Once per upgrade from a version whose connections carried their own credentials; a second run finds nothing to do.",
            Responses = [Ok(StatusCodes.Status200OK, "What the migration did.", X.Migration)],
        },
    }.ToFrozenDictionary();

    private static IReadOnlyList<ResponseDoc> TokenResponses(string ok) =>
    [
        Ok(StatusCodes.Status200OK, ok, X.Token),
        InvalidId,
        NoWorkspace,
        TokenProblem(TokenStatus.NotConnected, "The workspace is not connected yet: open /api/workspaces/{id}/connect in a browser.",
            "`not_connected`: never connected, or disabled."),
        TokenProblem(TokenStatus.NeedsReauthorization, "Procore refused the refresh token; connect the workspace again.",
            "`needs_reauthorization`: the grant is gone, a person must connect again."),
        TokenProblem(TokenStatus.InvalidClient, $"The workspace's OAuth client '{X.ClientName}' no longer exists.",
            "`invalid_client`: Procore refused the client's credentials, or the client was deleted."),
        Problem(TokenEndpoints.WithheldProblem(X.WorkspaceId),
            "`token_withheld`: the workspace's public client-credentials client serves several partners; its token, which reaches all their customers, is shown to none."),
        TokenProblem(TokenStatus.GrantRevoked, "The operator does not grant you company 1002 on public OAuth client 'shared-dmsa' (any more), so this workspace gets no token.",
            "`grant_revoked`: the workspace's client is public and the operator no longer grants the caller its company."),
        ProcoreUnavailable with { Description = "Procore failed and no valid token is left." },
        TokenProblem(TokenStatus.Busy, "Another instance is refreshing this workspace's token; retry shortly.", "Another instance is refreshing; retry after `Retry-After` seconds.")
            with { Header = ("Retry-After", "Seconds to wait.") },
        Problem(
            TokenEndpoints.Problem(X.WorkspaceId, new TokenOutcome(TokenStatus.RefreshCoolingDown, Detail: "The last 3 refreshes failed; the next is tried after retryAt.", RetryAt: X.Later)),
            "`refresh_cooling_down`: refreshes keep failing and the service backs off (30 s doubling to 30 min); retry after `Retry-After` seconds.")
            with { Header = ("Retry-After", "Seconds to wait.") },
    ];

    private static ResponseDoc TokenProblem(TokenStatus status, string detail, string when) =>
        Problem(TokenEndpoints.Problem(X.WorkspaceId, new TokenOutcome(status, Detail: detail)), when);

    private static IReadOnlyList<ResponseDoc> CompaniesResponses(ResponseDoc ok) =>
    [
        ok,
        InvalidName,
        Invalid(Problems.Field("environment", "Required: one of production, sandbox, monthly."), "`environment` (or another field) is missing or invalid."),
        Problem(TypedResults.Problem("OAuth client 'shared-dmsa' is a public client: the companies that installed its app are listed only to the operator.",
            statusCode: StatusCodes.Status403Forbidden, title: "Public client"), "The name is a public client's."),
        NoClient,
        Problem(TypedResults.Problem("Only a client_credentials (DMSA) client can list the companies its app is installed in.",
            statusCode: StatusCodes.Status409Conflict, title: "Not possible for this client"), "Not a client-credentials client, or Procore refused its credentials."),
        Problem(TypedResults.Problem("Procore's rate limit for the app is exhausted; retry later.",
            statusCode: StatusCodes.Status429TooManyRequests, title: "Rate limited"), "Procore's rate limit is exhausted; retry after `Retry-After` seconds.")
            with { Header = ("Retry-After", "Seconds until Procore's limit resets.") },
        ProcoreUnavailable,
        Problem(TypedResults.Problem("Another instance is fetching the client's token; retry shortly.",
            statusCode: StatusCodes.Status503ServiceUnavailable, title: "Token being fetched"), "Another instance is fetching the token; retry shortly."),
    ];
}
