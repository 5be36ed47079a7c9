namespace ProcoreConnect.Security;

/// <summary>How callers authenticate.</summary>
public sealed class AuthOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Auth";

    /// <summary>
    /// Hex SHA-256 of the bootstrap admin API key (the key itself is never configured). The admin
    /// creates partner keys with it; Entra ID callers with the admin app role are admins too.
    /// </summary>
    public string? AdminKeySha256 { get; set; }

    /// <summary>Microsoft Entra ID bearer tokens, as the alternative to API keys.</summary>
    public EntraOptions Entra { get; set; } = new();

    /// <summary>How long a verified API key is trusted before it is looked up again (revocation delay across instances).</summary>
    public TimeSpan KeyCacheDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a key id the table does not have is answered "unknown" from memory, so a bad key
    /// presented again costs no table read. A key created on another instance meanwhile is hidden
    /// here only if its random id was presented before it existed.
    /// </summary>
    public TimeSpan UnknownKeyCacheDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The most unknown key ids remembered at once: callers choose them, so memory is bounded;
    /// when full, a further unknown id costs its table read as it did before.
    /// </summary>
    public int UnknownKeyCacheSize { get; set; } = 10_000;

    /// <summary>
    /// The most keys a partner may hold unrevoked when it creates one itself (an admin is not
    /// bound by it): whoever holds one key cannot mint keys without end.
    /// </summary>
    public int MaxKeysPerPartner { get; set; } = 10;

    /// <summary>
    /// How often, at most, a key's <c>lastUsedAt</c> is written per instance: a write per call
    /// would put a table write on the token API's hot path.
    /// </summary>
    public TimeSpan KeyUseRecordInterval { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>Microsoft Entra ID settings.</summary>
public sealed class EntraOptions
{
    /// <summary>The issuer authority, e.g. https://login.microsoftonline.com/{tenant}/v2.0. Empty: bearer tokens are not accepted.</summary>
    public string? Authority { get; set; }

    /// <summary>The audience tokens must carry (this API's application id URI or client id).</summary>
    public string? Audience { get; set; }

    /// <summary>The app role that makes a caller a partner.</summary>
    public string PartnerRole { get; set; } = "ProcoreConnect.Partner";

    /// <summary>The app role that makes a caller an admin.</summary>
    public string AdminRole { get; set; } = "ProcoreConnect.Admin";

    /// <summary>Calling application id (azp/appid) → partner id; unmapped callers use their application id.</summary>
    public Dictionary<string, string> Partners { get; } = new(StringComparer.OrdinalIgnoreCase);
}
