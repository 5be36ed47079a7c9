using Azure;

namespace ProcoreConnect.Http;

/// <summary>The conditional-request headers of writes.</summary>
public static class Preconditions
{
    /// <summary>The <c>If-Match</c> ETag, when the caller sent one.</summary>
    public static ETag? IfMatch(HttpRequest request) =>
        request.Headers.IfMatch.Count > 0 && !string.IsNullOrWhiteSpace(request.Headers.IfMatch[0])
            ? new ETag(request.Headers.IfMatch[0]!)
            : null;
}
