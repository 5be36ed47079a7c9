namespace ProcoreConnect.OpenApi;

/// <summary>
/// Endpoint metadata naming a path parameter whose value holds slashes that must reach the service
/// as they are (a catch-all): the document marks it so client generators do not encode them.
/// </summary>
/// <param name="Name">The route parameter.</param>
/// <param name="Description">What it holds, for the document.</param>
public sealed record ReservedPathParameter(string Name, string Description)
{
    /// <summary>Kiota's extension that makes a path parameter a reserved expansion (<c>{+name}</c>).</summary>
    public const string Extension = "x-ms-reserved-parameter";
}
