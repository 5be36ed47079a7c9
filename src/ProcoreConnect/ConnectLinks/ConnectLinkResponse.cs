namespace ProcoreConnect.ConnectLinks;

/// <summary>A new connect link: the URL to send a person (shown once; the service keeps only its hash) and when it stops working.</summary>
public sealed record ConnectLinkResponse
{
    /// <summary>The link's page, on the service's public base URL.</summary>
    public required Uri Url { get; init; }

    /// <summary>When the link stops opening a sign-in.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }
}
