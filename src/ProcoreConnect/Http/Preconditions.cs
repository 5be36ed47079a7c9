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

    /// <summary>
    /// Whether a conditional write may go ahead over the <paramref name="current"/> version (null:
    /// nothing stored). No If-Match: yes, and the last writer wins only through the row's own ETag;
    /// <c>*</c>: the thing must exist; else the versions must be equal.
    /// </summary>
    public static bool Matches(ETag? ifMatch, ETag? current) => ifMatch switch
    {
        null => true,
        { } all when all == ETag.All => current is not null,
        { } expected => current == expected,
    };
}
