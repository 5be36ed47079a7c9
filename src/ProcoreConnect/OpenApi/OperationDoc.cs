namespace ProcoreConnect.OpenApi;

/// <summary>
/// What the OpenAPI document says about one HTTP function beyond what its handler's signature
/// shows: the handlers read their JSON bodies themselves and answer problems whose status is only
/// known at run time, so neither appears in the endpoint metadata.
/// </summary>
public sealed record OperationDoc
{
    /// <summary>The group the operation is listed under (one of <see cref="ApiOperations.Tags"/>).</summary>
    public required string Tag { get; init; }

    /// <summary>One line: what the operation does.</summary>
    public required string Summary { get; init; }

    /// <summary>Markdown: what a caller must know beyond the summary.</summary>
    public string? Description { get; init; }

    /// <summary>The JSON body the handler reads, when it reads one.</summary>
    public RequestDoc? Request { get; init; }

    /// <summary>The responses to describe: the success answer's example, and every problem the handler can answer.</summary>
    public IReadOnlyList<ResponseDoc> Responses { get; init; } = [];

    /// <summary>Whether the operation honours <c>If-Match</c> (412 when it no longer matches).</summary>
    public bool IfMatch { get; init; }

    /// <summary>Whether the success answer carries the resource's <c>ETag</c>.</summary>
    public bool ETag { get; init; }
}
