using System.Collections.Frozen;
using ProcoreConnect.Http;

namespace ProcoreConnect.OpenApi;

/// <summary>What each route and query parameter means, by its name, wherever it appears.</summary>
public static class ApiParameters
{
    /// <summary>The descriptions, by parameter name.</summary>
    public static IReadOnlyDictionary<string, string> Descriptions { get; } = new Dictionary<string, string>
    {
        ["id"] = "The workspace id, the partner's own: " + Workspaces.WorkspaceId.Rule,
        ["name"] = "The OAuth client's name: " + Workspaces.WorkspaceId.Rule,
        ["partnerId"] = "The partner's id: " + Workspaces.WorkspaceId.Rule,
        ["keyId"] = "The key's id: 16 lower-case hex characters (the part after `pck_`).",
        ["workspaceKey"] = "The workspace key from the delivery URL (the workspace id, '-' and 16 hex digits).",
        ["pageSize"] = $"Items per page, {1} to {Paging.MaxPageSize} (default {Paging.DefaultPageSize}).",
        ["continuationToken"] = "The `continuationToken` of the previous page; absent for the first.",
        ["returnUrl"] = "Where to send the browser after the callback (`?workspaceId=…&status=…` is added); its origin must be one of the caller's allowed return origins (`PUT /api/partner/settings`).",
        ["environment"] = "`production`, `sandbox`, `monthly` or `federal`.",
        ["companyId"] = "A company where the app is installed, sent to Procore as `Procore-Company-Id` (default: one of the client's workspaces').",
        ["state"] = "The state this service sent to Procore.",
        ["code"] = "The authorization code (single use, valid 10 minutes).",
        ["error"] = "Procore's error when the person did not allow the app (`access_denied`).",
        ["error_description"] = "Procore's words for the error, if any.",
    }.ToFrozenDictionary();

    /// <summary>
    /// What each query parameter's value is on the wire, by name, where the handler binds it as a string
    /// to answer a bad value in its own words: the document types it (an integer, an enum) for generators.
    /// </summary>
    public static IReadOnlyDictionary<string, Type> ValueTypes { get; } = new Dictionary<string, Type>
    {
        ["pageSize"] = typeof(int),
        ["companyId"] = typeof(long),
        ["environment"] = typeof(Procore.ProcoreEnvironment),
        ["deep"] = typeof(bool),
    }.ToFrozenDictionary();

    /// <summary>The 400 of a list whose paging parameters are invalid.</summary>
    public static ResponseDoc InvalidPaging =>
        ResponseDoc.Invalid(Paging.Read("0", null).Problem!, "`pageSize` is not 1-100, or `continuationToken` is not one this API returned.");
}
