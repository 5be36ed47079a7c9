namespace ProcoreConnect.OpenApi;

/// <summary>The groups the reference lists operations under, in its reading order; each endpoint names its own (<c>WithTags</c>).</summary>
public static class ApiTags
{
    /// <summary>Workspaces and their connections.</summary>
    public const string Workspaces = "Workspaces";

    /// <summary>OAuth clients, grants and DMSA installations.</summary>
    public const string OAuthClients = "OAuth clients";

    /// <summary>The authorization code flow.</summary>
    public const string Connecting = "Connecting";

    /// <summary>The token API.</summary>
    public const string Tokens = "Tokens";

    /// <summary>Procore's webhook deliveries.</summary>
    public const string ProcoreWebhooks = "Procore webhooks";

    /// <summary>The partner's own webhook, events and settings.</summary>
    public const string PartnerEvents = "Partner events";

    /// <summary>Partner keys and upgrades.</summary>
    public const string Administration = "Administration";

    /// <summary>Probes.</summary>
    public const string Service = "Service";

    /// <summary>Every tag in the order the reference lists them, with what each groups.</summary>
    public static IReadOnlyList<(string Name, string Description)> All { get; } =
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
}
