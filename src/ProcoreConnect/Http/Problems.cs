using Microsoft.AspNetCore.Http.HttpResults;

namespace ProcoreConnect.Http;

/// <summary>RFC 7807 problem results shared by the endpoints.</summary>
public static class Problems
{
    /// <summary>A 400 naming one field.</summary>
    public static ValidationProblem Field(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>A 422 naming one field: well formed, but Procore refused it; nothing was changed.</summary>
    public static ProblemHttpResult Refused(string field, string message) =>
        TypedResults.Problem(
            message,
            statusCode: StatusCodes.Status422UnprocessableEntity,
            title: "Refused by Procore",
            extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [field] = [message] } });

    /// <summary>A 403 naming one field: well formed, but the caller may not have it; nothing was changed.</summary>
    public static ProblemHttpResult Forbidden(string field, string message) =>
        TypedResults.Problem(
            message,
            statusCode: StatusCodes.Status403Forbidden,
            title: "Not granted",
            extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [field] = [message] } });

    /// <summary>A 400 naming every invalid field.</summary>
    public static ValidationProblem Fields(IReadOnlyDictionary<string, List<string>> errors) =>
        TypedResults.ValidationProblem(errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));

    /// <summary>One 400 naming every field the given problems name (each check of a request reports on its own), or null when none did.</summary>
    public static ValidationProblem? All(params ValidationProblem?[] problems)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (field, messages) in problems.OfType<ValidationProblem>().SelectMany(p => p.ProblemDetails.Errors))
        {
            if (!errors.TryGetValue(field, out var list))
            {
                errors[field] = list = [];
            }

            list.AddRange(messages);
        }

        return errors.Count == 0 ? null : Fields(errors);
    }

    /// <summary>A 400 for a route id that is not of the documented shape.</summary>
    public static ValidationProblem InvalidWorkspaceId() => Field("id", "Workspace ids are " + Workspaces.WorkspaceId.Rule);

    /// <summary>A 400 for a partner id that is not of the documented shape (the same as workspace ids).</summary>
    public static ValidationProblem InvalidPartnerId() => Field("partnerId", "Partner ids are " + Workspaces.WorkspaceId.Rule);

    /// <summary>A 404 for a workspace that does not exist (or is not visible to the caller).</summary>
    public static ProblemHttpResult WorkspaceNotFound(string id) =>
        TypedResults.Problem($"Workspace '{id}' was not found.", statusCode: StatusCodes.Status404NotFound, title: "Not found");

    /// <summary>A 409: the write lost a race or the resource is in a state that forbids it.</summary>
    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict");

    /// <summary>A 412: the caller's If-Match no longer matches.</summary>
    public static ProblemHttpResult PreconditionFailed(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status412PreconditionFailed, title: "Precondition failed");
}
