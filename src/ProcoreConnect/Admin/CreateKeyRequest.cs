namespace ProcoreConnect.Admin;

/// <summary>The body of a key creation.</summary>
public sealed record CreateKeyRequest(string? Name);
