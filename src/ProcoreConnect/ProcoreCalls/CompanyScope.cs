using System.Globalization;

namespace ProcoreConnect.ProcoreCalls;

/// <summary>
/// Finds a company a proxied call names, in its query's <c>company_id</c> or its path after
/// <c>companies/</c>, other than its workspace's: one token (a DMSA's above all) reaches every
/// company that installed the app, so only what a call names keeps it to its own.
/// </summary>
public static class CompanyScope
{
    private const string QueryName = "company_id";
    private const string PathSegment = "companies";

    /// <summary>The other company <paramref name="path"/> names, as written once decoded, or null when it names none but <paramref name="companyId"/>.</summary>
    public static string? OtherCompany(ProcorePath path, long companyId)
    {
        var own = companyId.ToString(CultureInfo.InvariantCulture);
        return InQuery(path.Query, own) ?? InPath(path.Path, own);
    }

    /// <summary>The 403 for a call that names another company: nothing was sent.</summary>
    public static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Mismatch(string id, long companyId, string other) => TypedResults.Problem(
        $"Workspace '{id}' is Procore company {companyId}, and this call names company '{other}' (in `company_id` or after `companies/`); "
        + "a workspace's calls may name only its own company. Nothing was sent; call through the workspace of that company.",
        statusCode: StatusCodes.Status403Forbidden, title: "Another company",
        extensions: new Dictionary<string, object?> { ["code"] = "company_mismatch", ["companyId"] = companyId });

    // Rails reads '&' and (in Rack 2) ';' as separators, '+' as a space, and 'company_id[]' as the same parameter.
    private static string? InQuery(string query, string own)
    {
        if (query.Length <= 1)
        {
            return null;
        }

        foreach (var item in query[1..].Split(['&', ';'], StringSplitOptions.RemoveEmptyEntries))
        {
            var pair = item.Split('=', 2);
            if (!string.Equals(ParameterName(Decode(pair[0])), QueryName, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var value = Decode(pair.Length > 1 ? pair[1] : "");
            if (value != own)
            {
                return value;
            }
        }

        return null;
    }

    // The parameter a name binds to as Rack 2 reads it (normalize_params): leading brackets and
    // spaces dropped, then up to the first bracket, so `[company_id]`, `]company_id` and
    // `company_id[]` are all `company_id`.
    private static string ParameterName(string name)
    {
        var core = name.Trim().TrimStart('[', ']');
        var bracket = core.IndexOfAny(['[', ']']);
        return (bracket < 0 ? core : core[..bracket]).Trim();
    }

    // The id after companies/, less a format ('.json') or parameter (';x') that a router drops.
    private static string? InPath(string path, string own)
    {
        var segments = path.Split('/');
        for (var i = 0; i + 1 < segments.Length; i++)
        {
            if (!string.Equals(Decode(segments[i]).Split(';')[0], PathSegment, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var next = Decode(segments[i + 1]);
            var id = next.Split('.', ';')[0];
            if (id != own)
            {
                return next;
            }
        }

        return null;
    }

    private static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));
}
