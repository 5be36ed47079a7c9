namespace ProcoreConnect.Security;

/// <summary>
/// What a request's API key says (<see cref="ApiKeyVerifier"/>): the caller it authenticates, or
/// the reason it is refused with the key's id when one could be read; neither when there is no key.
/// </summary>
public readonly record struct ApiKeyCheck(ApiKeyCaller? Caller, string? Refusal, string? KeyId);
