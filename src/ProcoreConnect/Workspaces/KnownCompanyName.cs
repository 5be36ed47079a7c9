using ProcoreConnect.Procore;

namespace ProcoreConnect.Workspaces;

/// <summary>A company's name as Procore listed it to a workspace's sign-in, with the company and environment it names.</summary>
public sealed record KnownCompanyName(long CompanyId, ProcoreEnvironment Environment, string Name)
{
    /// <summary>The longest name kept: Procore sets no bound, and a page shows it.</summary>
    public const int MaxLength = 200;
}
