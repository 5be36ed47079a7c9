using ProcoreConnect.Procore;

namespace ProcoreConnect.Clients;

/// <summary>The companies the operator lets one partner use a public OAuth client for, and in which environments.</summary>
/// <param name="Client">The public client's name.</param>
/// <param name="PartnerId">The partner.</param>
/// <param name="CompanyIds">The Procore companies, in ascending order.</param>
/// <param name="Environments">The environments the companies are meant in (company ids are numbered per environment); null: every one.</param>
/// <param name="UpdatedAt">When the operator last set them.</param>
public sealed record ClientGrant(string Client, string PartnerId, IReadOnlyList<long> CompanyIds, IReadOnlyList<ProcoreEnvironment>? Environments, DateTimeOffset UpdatedAt);

/// <summary>The body of <c>PUT /api/oauth-clients/{name}/grants/{partnerId}</c>.</summary>
public sealed record ClientGrantRequest
{
    /// <summary>The companies the partner may use the client for (replaces the list; <c>[]</c> grants none).</summary>
    public IReadOnlyList<long>? CompanyIds { get; init; }

    /// <summary>The environments those company ids are meant in (<c>production</c>, <c>sandbox</c>, <c>monthly</c>, <c>federal</c>); absent: every one.</summary>
    public IReadOnlyList<string>? Environments { get; init; }
}
