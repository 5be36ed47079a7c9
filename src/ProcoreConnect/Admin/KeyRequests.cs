using Microsoft.AspNetCore.Http.HttpResults;
using ProcoreConnect.Http;

namespace ProcoreConnect.Admin;

/// <summary>What creating and revoking a key accept, the same whether an admin or the partner itself calls.</summary>
public static class KeyRequests
{
    /// <summary>What a refused <c>name</c> is told.</summary>
    public const string NameRule = "At most 100 characters, no control characters.";

    /// <summary>What a refused <c>keyId</c> is told.</summary>
    public const string KeyIdRule = "Key ids are 16 lower-case hex characters: the part between pck_ and the next _ of a key.";

    /// <summary>The optional body's <c>name</c>, or the problem to answer with.</summary>
    public static async Task<(string? Name, ValidationProblem? Problem)> ReadNameAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is not > 0)
        {
            return (null, null);
        }

        var (body, problem) = await JsonBody.ReadAsync<CreateKeyRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return (null, problem);
        }

        var name = body!.Name;
        return name is { Length: > 100 } || (name is not null && name.Any(char.IsControl))
            ? (null, Problems.Field("name", NameRule))
            : (name, null);
    }

    /// <summary>True when <paramref name="keyId"/> has the shape of a key id.</summary>
    public static bool IsKeyId(string keyId) => keyId.Length == 16 && keyId.All(char.IsAsciiHexDigitLower);

    /// <summary>The 404 for a key the partner does not have: the same for another partner's key as for none.</summary>
    public static ProblemHttpResult NotFound(string partnerId, string keyId) =>
        TypedResults.Problem($"Key '{keyId}' of partner '{partnerId}' was not found.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
}
