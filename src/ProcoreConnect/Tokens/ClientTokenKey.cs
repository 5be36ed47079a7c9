using ProcoreConnect.Clients;
using ProcoreConnect.Common;
using ProcoreConnect.Procore;

namespace ProcoreConnect.Tokens;

/// <summary>The one shared token of a client-credentials client in one environment.</summary>
public readonly record struct ClientTokenKey(OAuthClientRef Client, ProcoreEnvironment Environment)
{
    /// <summary>Its key in the lease, index and token tables: <c>ct.{owner}.{name}.{environment}</c>, never a workspace key.</summary>
    public string Value => $"ct.{Client.Key}.{WireName.Of(Environment)}";

    /// <inheritdoc />
    public override string ToString() => Value;
}
