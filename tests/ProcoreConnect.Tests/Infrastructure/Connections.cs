using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Tests.Infrastructure;

/// <summary>Builds OAuth client and connection requests; tests change only what they are about.</summary>
public static class Connections
{
    /// <summary>The code-flow OAuth client every test partner has from the start (see <see cref="AppFactory.PartnerKey"/>).</summary>
    public const string DefaultClient = "test-app";

    /// <summary>A connection on the partner's default client.</summary>
    public static Dictionary<string, object?> Valid(string oauthClient = DefaultClient) => new()
    {
        ["companyId"] = 1001,
        ["environment"] = "sandbox",
        ["oauthClient"] = oauthClient,
    };

    /// <summary>An OAuth client body.</summary>
    public static Dictionary<string, object?> Client(string? clientSecret = null, string authFlow = "authorization_code", string? clientId = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["authFlow"] = authFlow,
            ["clientId"] = clientId ?? "client-" + Guid.NewGuid().ToString("N")[..8],
            ["clientSecret"] = clientSecret ?? NewSecret(),
        };
        if (authFlow == "authorization_code")
        {
            body["redirectUri"] = "https://connect.example.com/api/oauth/callback";
        }

        return body;
    }

    /// <summary>A recognisable secret value, easy to scan for.</summary>
    public static string NewSecret() => "sekret-" + Guid.NewGuid().ToString("N");

    public static string NewId() => "ws-" + Guid.NewGuid().ToString("N")[..12];

    public static string NewClientName() => "oc-" + Guid.NewGuid().ToString("N")[..12];

    public static Dictionary<string, object?> With(this Dictionary<string, object?> body, string field, object? value)
    {
        var copy = new Dictionary<string, object?>(body) { [field] = value };
        return copy;
    }

    public static Dictionary<string, object?> Without(this Dictionary<string, object?> body, string field)
    {
        var copy = new Dictionary<string, object?>(body);
        copy.Remove(field);
        return copy;
    }

    /// <summary>The default partner's workspace, by id (tests mostly act as that partner).</summary>
    public static Task<Workspace?> FindAsync(this WorkspaceRepository workspaces, string id, CancellationToken cancellationToken) =>
        workspaces.FindAsync(new WorkspaceRef(AppFactory.DefaultPartner, id), cancellationToken);

    /// <summary>The workspace's current due-index entry.</summary>
    public static ProcoreConnect.Tokens.DueWorkspace Due(this Workspace workspace) => new(workspace.Ref, workspace.Key, workspace.RefreshDueAt!.Value);

    /// <summary>True when <paramref name="entry"/> is for the default partner's workspace <paramref name="id"/>.</summary>
    public static bool IsFor(this ProcoreConnect.Tokens.DueRefresh entry, string id) =>
        entry is ProcoreConnect.Tokens.DueWorkspace w && w.Workspace == new WorkspaceRef(AppFactory.DefaultPartner, id);
}
