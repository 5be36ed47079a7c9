namespace ProcoreConnect.Tokens;

/// <summary>What <c>GET /api/workspaces/{id}/token</c> returns: a token ready to use, and where.</summary>
public sealed record TokenResponse(string AccessToken, string TokenType, DateTimeOffset ExpiresAt, long CompanyId, Uri ApiBaseUrl)
{
    /// <summary>Never the token: a record would print it.</summary>
    public override string ToString() => $"{nameof(TokenResponse)} {{ TokenType = {TokenType}, ExpiresAt = {ExpiresAt:u}, CompanyId = {CompanyId}, ApiBaseUrl = {ApiBaseUrl} }}";
}
