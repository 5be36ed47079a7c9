namespace ProcoreSimulator.State;

/// <summary>Counters tests read to check what reached "Procore".</summary>
public sealed record SimulatorStats(
    int AuthorizationCodeGrants,
    int RefreshTokenGrants,
    int ClientCredentialsGrants,
    int FailedTokenRequests,
    int RefreshTokenReuses,
    int ApiRequests,
    int MaxConcurrentRefreshesPerGrant,
    string? LastCompanyIdHeader,
    int Revocations = 0,
    int MaxConcurrentClientCredentialsPerClient = 0);
