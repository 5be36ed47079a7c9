using ProcoreConnect.Procore;

namespace ProcoreConnect.Clients;

/// <summary>A set of companies (every one, or those listed) in a set of environments (every one, or those listed).</summary>
public sealed record CompanyScope(IReadOnlyList<long>? Companies, IReadOnlyList<ProcoreEnvironment>? Environments = null)
{
    /// <summary>Every company.</summary>
    public static readonly CompanyScope All = new((IReadOnlyList<long>?)null);

    /// <summary>No company.</summary>
    public static readonly CompanyScope None = new([]);

    /// <summary>True when <paramref name="companyId"/> in <paramref name="environment"/> is in the scope.</summary>
    public bool Allows(long companyId, ProcoreEnvironment environment) =>
        (Companies is null || Companies.Contains(companyId)) && (Environments is null || Environments.Contains(environment));

    /// <summary>Those of <paramref name="companies"/> (listed in <paramref name="environment"/>) in the scope.</summary>
    public IReadOnlyList<ProcoreCompany> Filter(IReadOnlyList<ProcoreCompany> companies, ProcoreEnvironment environment) =>
        Companies is null && Environments is null ? companies : [.. companies.Where(c => Allows(c.Id, environment))];
}
