namespace ProcoreConnect.OpenApi;

/// <summary>Declares an endpoint's <see cref="OperationDoc"/> on the endpoint itself.</summary>
public static class OperationDocExtensions
{
    /// <summary>The JSON body the handler reads itself (<see cref="Http.JsonBody"/>).</summary>
    public static TBuilder WithRequestBody<TBuilder>(this TBuilder builder, Func<RequestDoc> request)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new OperationDoc { Request = request });

    /// <summary>What the endpoint answers: the success's example and every problem, in the order the reference lists them.</summary>
    public static TBuilder WithResponses<TBuilder>(this TBuilder builder, Func<IReadOnlyList<ResponseDoc>> responses)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new OperationDoc { Responses = responses });

    /// <summary>The write applies only to the version <c>If-Match</c> names (412 otherwise).</summary>
    public static TBuilder WithIfMatch<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new OperationDoc { IfMatch = true });

    /// <summary>The success answer carries the resource's <c>ETag</c>.</summary>
    public static TBuilder WithETag<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new OperationDoc { ETag = true });
}
