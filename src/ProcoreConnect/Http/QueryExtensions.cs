namespace ProcoreConnect.Http;

/// <summary>Declares on an endpoint what query it takes beyond its handler's own query-bound parameters.</summary>
public static class QueryExtensions
{
    /// <summary>The endpoint also takes the parameters of <paramref name="family"/>.</summary>
    public static TBuilder WithQueryFamily<TBuilder>(this TBuilder builder, QueryFamily family)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(family);

    /// <summary>The endpoint takes any query, unchecked (see <see cref="AnyQuery"/>).</summary>
    public static TBuilder AcceptsAnyQuery<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(AnyQuery.Instance);
}
