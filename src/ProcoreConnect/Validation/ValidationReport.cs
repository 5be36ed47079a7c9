namespace ProcoreConnect.Validation;

/// <summary>The structured result of checking a workspace's connection against Procore.</summary>
public sealed record ValidationReport
{
    /// <summary>The workspace checked.</summary>
    public required string WorkspaceId { get; init; }

    /// <summary>True when a token was obtained, the API answered and the CompanyId is visible.</summary>
    public required bool Ok { get; init; }

    /// <summary>Whether the configured CompanyId is among the companies the token can see.</summary>
    public bool CompanyVisible { get; init; }

    /// <summary>Each step, in order.</summary>
    public required IReadOnlyList<ValidationCheck> Checks { get; init; }

    /// <summary>Companies the token can see.</summary>
    public IReadOnlyList<Procore.ProcoreCompany> VisibleCompanies { get; init; } = [];

    /// <summary>For a DMSA workspace, how many of the company's projects the app may see (null: not checked).</summary>
    public int? PermittedProjects { get; init; }

    /// <summary>What to do in Procore to fix the first failure; null when everything passed.</summary>
    public string? Fix { get; init; }

    /// <summary>When the check ran.</summary>
    public required DateTimeOffset CheckedAt { get; init; }
}

/// <summary>One step of a validation: its name, whether it passed, and what was seen.</summary>
public sealed record ValidationCheck(string Name, bool Ok, int? HttpStatus, string Detail);
