using System.Collections.Frozen;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace ProcoreConnect.Http;

/// <summary>
/// Which query parameters each endpoint takes: its handler's own query-bound parameters, as the
/// framework's API explorer reads them from the handler (the same inference that binds them), plus
/// the families it declares (<see cref="QueryFamily"/>), plus the Functions host's function key
/// (<c>code</c>) where the host demands one. Nothing is listed by hand: a handler that gains a
/// query parameter is accepted at once.
/// </summary>
public sealed class AcceptedQuery(IApiDescriptionGroupCollectionProvider descriptions)
{
    /// <summary>
    /// The query parameter the Functions host reads a function key from, and forwards with the rest
    /// of the query (azure-functions-host, AuthenticationLevelHandler.FunctionsKeyQueryParamName).
    /// </summary>
    public const string FunctionKey = "code";

    private readonly System.Collections.Concurrent.ConcurrentDictionary<Endpoint, QueryRule?> _rules = new();
    private FrozenDictionary<string, FrozenSet<string>>? _byEndpoint;

    /// <summary>
    /// The rule of <paramref name="endpoint"/>, or null when its query is not checked: it takes any
    /// (<see cref="AnyQuery"/>), or it is no operation of the API (the document and reference pages,
    /// the functions only the host invokes), so it has no description to read.
    /// </summary>
    public QueryRule? For(Endpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return _rules.GetOrAdd(endpoint, Build);
    }

    private QueryRule? Build(Endpoint endpoint)
    {
        var metadata = endpoint.Metadata;
        if (metadata.GetMetadata<AnyQuery>() is not null
            || metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName is not { } name
            || !(_byEndpoint ??= Read()).TryGetValue(name, out var names))
        {
            return null;
        }

        var needsFunctionKey = metadata.GetMetadata<IAuthorizeData>() is not null && metadata.GetMetadata<IAllowAnonymous>() is null;
        return new QueryRule(
            needsFunctionKey ? names.Append(FunctionKey).ToFrozenSet(StringComparer.OrdinalIgnoreCase) : names,
            [.. metadata.GetOrderedMetadata<QueryFamily>()]);
    }

    // Read once, on the first request with a query: the descriptions are built from the endpoints,
    // which are complete by then.
    private FrozenDictionary<string, FrozenSet<string>> Read() =>
        descriptions.ApiDescriptionGroups.Items
            .SelectMany(g => g.Items)
            .Select(d => (Name: d.ActionDescriptor.EndpointMetadata.OfType<IEndpointNameMetadata>().LastOrDefault()?.EndpointName, Description: d))
            .Where(d => d.Name is not null)
            .GroupBy(d => d.Name!, StringComparer.Ordinal)
            .ToFrozenDictionary(
                g => g.Key,
                g => g.SelectMany(d => d.Description.ParameterDescriptions)
                    .Where(p => p.Source == BindingSource.Query)
                    .Select(p => p.Name)
                    .ToFrozenSet(StringComparer.OrdinalIgnoreCase),
                StringComparer.Ordinal);
}

/// <summary>The query parameters one endpoint takes: these names (case-insensitive, as binding reads them), and these families.</summary>
/// <param name="Names">The parameters by name.</param>
/// <param name="Families">The families by prefix.</param>
public sealed record QueryRule(IReadOnlySet<string> Names, IReadOnlyList<QueryFamily> Families)
{
    /// <summary>True when the endpoint takes a parameter named <paramref name="name"/>.</summary>
    public bool Accepts(string name) =>
        Names.Contains(name) || Families.Any(f => name.StartsWith(f.Prefix, StringComparison.OrdinalIgnoreCase));

    /// <summary>What the endpoint takes, in words for a refusal.</summary>
    public string Describe()
    {
        var all = Names.Where(n => n != AcceptedQuery.FunctionKey).Order(StringComparer.Ordinal).Select(n => $"'{n}'")
            .Concat(Families.Select(f => $"'{f.Prefix}{{key}}'")).ToList();
        return all.Count == 0 ? "This route takes no query parameters." : "This route takes " + string.Join(", ", all) + ".";
    }
}
