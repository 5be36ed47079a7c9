using System.Text.Json.Serialization;

namespace ProcoreConnect.Procore;

/// <summary>Procore's token endpoint answer (snake_case on the wire).</summary>
public sealed record ProcoreTokenResponse
{
    /// <summary>The access token.</summary>
    [JsonPropertyName("access_token")]
    public required string AccessToken { get; init; }

    /// <summary>Always "Bearer".</summary>
    [JsonPropertyName("token_type")]
    public string TokenType { get; init; } = "Bearer";

    /// <summary>Lifetime in seconds (5400 at Procore).</summary>
    [JsonPropertyName("expires_in")]
    public int ExpiresIn { get; init; }

    /// <summary>The new refresh token (code flow only); the old one is dead once this arrives.</summary>
    [JsonPropertyName("refresh_token")]
    public string? RefreshToken { get; init; }

    /// <summary>Unix seconds when issued.</summary>
    [JsonPropertyName("created_at")]
    public long? CreatedAt { get; init; }

    /// <summary>Never the tokens: a record would print them, and this one may end up in a log.</summary>
    public override string ToString() =>
        $"{nameof(ProcoreTokenResponse)} {{ TokenType = {TokenType}, ExpiresIn = {ExpiresIn}, RefreshToken = {(RefreshToken is null ? "none" : "held")}, CreatedAt = {CreatedAt} }}";
}
