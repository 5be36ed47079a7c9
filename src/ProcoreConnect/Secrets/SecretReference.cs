namespace ProcoreConnect.Secrets;

/// <summary>Names one version of a secret in the secret store; the only trace of a secret a table keeps.</summary>
public sealed record SecretReference(string Name, string Version);
