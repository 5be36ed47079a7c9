namespace ProcoreConnect.Http;

/// <summary>
/// Refuses a request whose query names a parameter its endpoint does not take (<see cref="AcceptedQuery"/>),
/// with a 400 naming every such parameter, before the handler runs: a misspelt filter would
/// otherwise be ignored and the answer look right. Runs after authorization, so a caller without
/// credentials learns nothing of a route's parameters, and before rate limiting, so the refusal
/// costs no permit.
/// </summary>
public sealed class StrictQuery(RequestDelegate next, AcceptedQuery accepted)
{
    /// <summary>Checks the query, then runs the request or answers the 400.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Query.Count > 0 && context.GetEndpoint() is { } endpoint && accepted.For(endpoint) is { } rule)
        {
            var unknown = context.Request.Query.Keys.Where(k => !rule.Accepts(k)).ToList();
            if (unknown.Count > 0)
            {
                var message = "Unknown query parameter. " + rule.Describe();
                await Problems.Fields(unknown.Select(Printable).Distinct(StringComparer.Ordinal)
                    .ToDictionary(k => k, _ => new List<string> { message }, StringComparer.Ordinal)).ExecuteAsync(context);
                return;
            }
        }

        await next(context);
    }

    // The caller's name goes back to it and into the refusal log: nothing that breaks a line, nothing
    // long, and never an API key pasted as a name (pck_<keyId>_<secret>, Security.PartnerKeyStore):
    // the log would keep its secret.
    // Nor a secret or token pasted as a name without the prefix: a name longer than any parameter's
    // is not repeated at all.
    private static string Printable(string name) =>
        name.Contains(ApiKeyPrefix, StringComparison.Ordinal) ? ApiKeyPrefix + "… (an API key: send it as X-Api-Key)"
            : name.Length > MaxEchoedName ? $"(a name of {name.Length} characters)"
            : new([.. name.Select(c => char.IsControl(c) ? '?' : c)]);

    // Longer than every parameter name the API takes ("continuationToken" is 17).
    private const int MaxEchoedName = 32;

    private const string ApiKeyPrefix = "pck_";
}
