namespace ProcoreConnect.Tokens;

/// <summary>What <c>GET /api/workspaces/{id}/token</c> returns: a token ready to use, and where.</summary>
public sealed record TokenResponse(string AccessToken, string TokenType, DateTimeOffset ExpiresAt, long CompanyId, Uri ApiBaseUrl)
{
    /// <summary>The answer for a token held for a workspace.</summary>
    public static TokenResponse From(CachedToken token, Procore.ProcoreOptions procore) =>
        new(token.AccessToken, "Bearer", token.ExpiresAt, token.CompanyId, procore.For(token.Environment).ApiBaseUrl);

    /// <summary>Never the token: a record would print it.</summary>
    public override string ToString() => $"{nameof(TokenResponse)} {{ TokenType = {TokenType}, ExpiresAt = {ExpiresAt:u}, CompanyId = {CompanyId}, ApiBaseUrl = {ApiBaseUrl} }}";
}
