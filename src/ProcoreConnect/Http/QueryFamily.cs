namespace ProcoreConnect.Http;

/// <summary>
/// Endpoint metadata: the endpoint also takes query parameters named <see cref="Prefix"/> followed by a
/// key of the caller's (the workspace list's <c>tag.{key}</c> filters), read by the handler from the
/// query itself. Strict query checking accepts them, and the OpenAPI document describes them as one
/// object parameter named <see cref="Name"/>.
/// </summary>
/// <param name="Name">The family's name in the document (<c>tag</c>).</param>
/// <param name="Prefix">What every member's name begins with (<c>tag.</c>).</param>
/// <param name="SuffixPattern">The regular expression the caller's part of a name (after the prefix) matches.</param>
/// <param name="MaxCount">The most members one request may send.</param>
/// <param name="Description">What the family does, for the document.</param>
public sealed record QueryFamily(string Name, string Prefix, string SuffixPattern, int MaxCount, string Description);

/// <summary>
/// Endpoint metadata: the endpoint takes whatever query its caller sends, unchecked; for routes a
/// person's browser or Procore calls, where a refusal would strand a sign-in or lose a delivery.
/// </summary>
public sealed class AnyQuery
{
    /// <summary>The one instance.</summary>
    public static AnyQuery Instance { get; } = new();

    private AnyQuery()
    {
    }
}
