using Azure;
using ProcoreConnect.Clients;
using ProcoreConnect.Procore;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.WorkspaceConnections;

/// <summary>
/// One write of a workspace's connection settings as it is carried out: the settings, the client
/// they name, the row before the write, and what became of the refresh token the partner brought
/// (imported into the row, or redeemed for it).
/// </summary>
public sealed record ConnectionWrite
{
    /// <summary>The workspace written.</summary>
    public required WorkspaceRef Workspace { get; init; }

    /// <summary>The settings asked for.</summary>
    public required ConnectionSettings Settings { get; init; }

    /// <summary>The client the settings name, resolved for the partner.</summary>
    public required OAuthClient Client { get; init; }

    /// <summary>The row before this write (null: the workspace is new).</summary>
    public required Workspace? Original { get; init; }

    /// <summary>The row the settings are written over: <see cref="Original"/>, or the row an import just wrote.</summary>
    public required Workspace? Base { get; init; }

    /// <summary>The version the caller asked to change (If-Match), if any.</summary>
    public ETag? IfMatch { get; init; }

    /// <summary>Whether the partner's refresh token was imported into the row's grant before the write.</summary>
    public bool Imported { get; init; }

    /// <summary>The access token of the grant an import replaced, read under the lease, to revoke.</summary>
    public string? ReplacedGrant { get; init; }

    /// <summary>Tokens redeemed with the new client or environment, to store once the row is written.</summary>
    public ProcoreTokenResponse? Redeemed { get; init; }

    /// <summary>
    /// Whether Procore took the partner's token: the partner's copy is dead, so a concurrent write
    /// or a caller going away must not cost the grant.
    /// </summary>
    public bool Spent => Imported || Redeemed is not null;

    /// <summary>
    /// Whether the write moves a connected workspace to another client, environment or company, which takes
    /// its grant away: it runs under the workspace's refresh lease.
    /// </summary>
    public bool TakesGrantAway => Original?.Tokens is not null && ChangesGrantScope(Original);

    /// <summary>
    /// Tokens belong to one app in one environment, and a person's grant to the company their
    /// sign-in proved: whether the settings change any of these for <paramref name="existing"/>.
    /// A client-credentials workspace holds no grant of its own (its client's token reaches every
    /// company that installed the app), so its company changes under the checks a new workspace gets.
    /// </summary>
    public bool ChangesGrantScope(Workspace existing) =>
        existing.Environment != Settings.Environment || existing.Client != Client.Ref
        || (existing.AuthFlow == AuthFlow.AuthorizationCode && existing.CompanyId != Settings.CompanyId);

    /// <summary>Whether a connection check of <paramref name="existing"/> says nothing of the settings: it checked another company, environment or client.</summary>
    public bool OutdatesCheck(Workspace existing) => existing.CompanyId != Settings.CompanyId || ChangesGrantScope(existing);

    /// <summary>Never the tokens.</summary>
    public override string ToString() =>
        $"{nameof(ConnectionWrite)} {{ {Workspace}, client {Client.Ref}, new {Original is null}, imported {Imported}, redeemed {Redeemed is not null} }}";
}
