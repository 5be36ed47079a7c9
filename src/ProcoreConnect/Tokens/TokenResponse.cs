namespace ProcoreConnect.Tokens;

/// <summary>What <c>GET /api/workspaces/{id}/token</c> returns: a token ready to use, and where.</summary>
public sealed record TokenResponse(string AccessToken, string TokenType, DateTimeOffset ExpiresAt, long CompanyId, Uri ApiBaseUrl);
