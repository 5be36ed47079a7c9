namespace ProcoreConnect.Security;

/// <summary>A caller an API key authenticates: a partner with one of its keys, or the bootstrap admin.</summary>
public sealed record ApiKeyCaller(string PartnerId, string Role, string KeyId)
{
    /// <summary>The holder of the bootstrap admin key.</summary>
    public static ApiKeyCaller BootstrapAdmin { get; } = new("admin", Roles.Admin, "bootstrap");
}
