using ProcoreConnect.Common;
using ProcoreConnect.Procore;

namespace ProcoreConnect.Workspaces;

/// <summary>Checks a connection request field by field; pure, so a rejected request touches nothing.</summary>
public static class ConnectionRequestValidator
{
    /// <summary>What a refresh token must look like, in words.</summary>
    public const string RefreshTokenRule = "A refresh token is 1 to 4096 visible ASCII characters, without spaces.";

    /// <summary>Every error by field (camelCase, as in the body), or the validated settings.</summary>
    public static (ConnectionSettings? Settings, Dictionary<string, List<string>> Errors) Validate(ConnectionRequest request)
    {
        var errors = new Dictionary<string, List<string>>();
        void Fail(string field, string message) =>
            (errors.TryGetValue(field, out var list) ? list : errors[field] = []).Add(message);

        if (request.CompanyId is not { } companyId)
        {
            Fail("companyId", "Required: the Procore company id, a positive integer.");
        }
        else if (companyId <= 0)
        {
            Fail("companyId", "Must be a positive integer.");
        }

        if (!WireName.TryParse<ProcoreEnvironment>(request.Environment, out var environment))
        {
            Fail("environment", $"Must be one of: {string.Join(", ", WireName.AllOf<ProcoreEnvironment>())}.");
        }

        if (!WorkspaceId.IsValid(request.OAuthClient))
        {
            Fail("oauthClient", "Required: the name of an OAuth client (" + WorkspaceId.Rule + ")");
        }

        if (request.RefreshToken is { } refreshToken && !IsRefreshToken(refreshToken))
        {
            Fail("refreshToken", RefreshTokenRule);
        }

        foreach (var (field, message) in request.Tags is null ? [] : WorkspaceTags.Problems(request.Tags))
        {
            Fail(field, message);
        }

        return errors.Count > 0
            ? (null, errors)
            : (new ConnectionSettings
            {
                CompanyId = request.CompanyId!.Value,
                Environment = environment,
                OAuthClient = request.OAuthClient!,
                RefreshToken = request.RefreshToken,
                Tags = request.Tags?.ToDictionary(t => t.Key, t => t.Value!, StringComparer.Ordinal),
            }, errors);
    }

    // Checked for shape only: Procore says whether it is one.
    private static bool IsRefreshToken(string value) => value.Length is > 0 and <= 4096 && value.All(c => c is > ' ' and < (char)127);
}
