namespace ProcoreConnect.OpenApi;

/// <summary>
/// What the examples of the OpenAPI document share: the workspace, client and partner they name,
/// and their times. Each feature writes its examples beside its endpoints, as the very records the
/// service reads and answers, so an example cannot name a field the service does not know or miss
/// one it requires.
/// </summary>
public static class ApiExamples
{
    /// <summary>The example workspace's id.</summary>
    public const string WorkspaceId = "acme-hq";

    /// <summary>The example OAuth client's name.</summary>
    public const string ClientName = "acme-app";

    /// <summary>The example partner's id.</summary>
    public const string PartnerId = "my-platform";

    /// <summary>When the examples' resources were created.</summary>
    public static readonly DateTimeOffset Created = new(2026, 11, 23, 16, 39, 28, TimeSpan.Zero);

    /// <summary>A few minutes after <see cref="Created"/>.</summary>
    public static readonly DateTimeOffset Later = Created.AddMinutes(3);
}
