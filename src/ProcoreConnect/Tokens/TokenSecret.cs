using System.Text.Json;
using System.Text.Json.Serialization;

namespace ProcoreConnect.Tokens;

/// <summary>
/// The tokens of one grant, kept as one secret version: the refresh token and the access token
/// Procore issued with it are written in one write, so persisting a refresh is a single secret
/// operation and no reader ever sees one without the other.
/// </summary>
public sealed record TokenSecret(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken)
{
    /// <summary>The secret value: JSON with snake_case names, as Procore's own token answer.</summary>
    public string Serialize() => JsonSerializer.Serialize(this, TokenSecretJson.Default.TokenSecret);

    /// <summary>Reads a value written by <see cref="Serialize"/>.</summary>
    public static TokenSecret Parse(string value) =>
        JsonSerializer.Deserialize(value, TokenSecretJson.Default.TokenSecret) is { AccessToken: not null } parsed
            ? parsed
            : throw new FormatException("The stored token secret holds no access token.");

    /// <summary>Never the tokens: a record would print them, and this one may end up in a log.</summary>
    public override string ToString() => $"{nameof(TokenSecret)} {{ refresh token: {(RefreshToken is null ? "none" : "held")} }}";
}

[JsonSerializable(typeof(TokenSecret))]
internal sealed partial class TokenSecretJson : JsonSerializerContext;
