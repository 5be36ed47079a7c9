namespace ProcoreSimulator.State;

/// <summary>What an issued token stands for.</summary>
public sealed record TokenGrant(string ClientId, DateTimeOffset ExpiresAt);

/// <summary>An authorization code waiting to be exchanged.</summary>
public sealed record PendingCode(string ClientId, string RedirectUri, string? CodeChallenge, DateTimeOffset ExpiresAt);

/// <summary>A token endpoint answer: the JSON body and its status.</summary>
public sealed record TokenOutcome(int Status, object Body);
