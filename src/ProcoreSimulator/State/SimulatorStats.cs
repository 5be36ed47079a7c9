namespace ProcoreSimulator.State;

/// <summary>Counters tests read to check what reached "Procore".</summary>
public sealed record SimulatorStats
{
    /// <summary>Codes exchanged for tokens.</summary>
    public int AuthorizationCodeGrants { get; init; }

    /// <summary>Refresh tokens exchanged for new tokens.</summary>
    public int RefreshTokenGrants { get; init; }

    /// <summary>Client-credentials tokens issued.</summary>
    public int ClientCredentialsGrants { get; init; }

    /// <summary>Token requests answered with a queued failure.</summary>
    public int FailedTokenRequests { get; init; }

    /// <summary>Refresh tokens presented that were not live: used already, revoked, or never issued.</summary>
    public int RefreshTokenReuses { get; init; }

    /// <summary>API requests served.</summary>
    public int ApiRequests { get; init; }

    /// <summary>The most refreshes of one grant in flight at once.</summary>
    public int MaxConcurrentRefreshesPerGrant { get; init; }

    /// <summary>The <c>Procore-Company-Id</c> of the last API request.</summary>
    public string? LastCompanyIdHeader { get; init; }

    /// <summary>Tokens revoked.</summary>
    public int Revocations { get; init; }

    /// <summary>The most client-credentials requests of one client in flight at once.</summary>
    public int MaxConcurrentClientCredentialsPerClient { get; init; }
}
