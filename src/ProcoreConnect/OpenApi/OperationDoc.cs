namespace ProcoreConnect.OpenApi;

/// <summary>
/// Endpoint metadata: what the OpenAPI operation says beyond the handler's signature and the
/// endpoint's name, summary, description and tags. The handlers read their JSON bodies themselves
/// and answer problems whose status is only known at run time, so neither shows in the signature.
/// Bodies and responses are built when the document is (on its first request), never at start-up.
/// Declared with <see cref="OperationDocExtensions"/>; an endpoint may carry several, which add up.
/// </summary>
public sealed record OperationDoc
{
    /// <summary>The JSON body the handler reads, when it reads one.</summary>
    public Func<RequestDoc>? Request { get; init; }

    /// <summary>The responses to describe: the success answer's example, and every problem the handler can answer.</summary>
    public Func<IReadOnlyList<ResponseDoc>>? Responses { get; init; }

    /// <summary>Whether the operation honours <c>If-Match</c> (412 when it no longer matches).</summary>
    public bool IfMatch { get; init; }

    /// <summary>Whether the success answer carries the resource's <c>ETag</c>.</summary>
    public bool ETag { get; init; }
}
