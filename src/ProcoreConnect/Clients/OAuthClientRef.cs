namespace ProcoreConnect.Clients;

/// <summary>
/// Names an OAuth client: its owner and its name. The owner is a partner id, or
/// <see cref="PublicOwner"/> for the clients an operator offers to every partner; no partner id
/// can take that value (partner ids start with a letter or digit).
/// </summary>
public readonly record struct OAuthClientRef(string Owner, string Name)
{
    /// <summary>The owner of public clients.</summary>
    public const string PublicOwner = "_public";

    /// <summary>True for a client an operator offers to every partner.</summary>
    public bool IsPublic => Owner == PublicOwner;

    /// <summary>A key for tables and logs, e.g. <c>partner-a.main</c> or <c>_public.shared-app</c>.</summary>
    public string Key => Owner + "." + Name;

    /// <inheritdoc />
    public override string ToString() => Key;
}
