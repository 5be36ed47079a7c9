namespace ProcoreConnect.Secrets;

/// <summary>Disables a secret version nothing points at any more, best effort.</summary>
public static class SecretRetirement
{
    /// <summary>
    /// Disables <paramref name="reference"/>, called only after the row that pointed at it points
    /// elsewhere: a failure is logged and leaves an unreferenced version behind, never an
    /// <paramref name="owner"/> without a usable secret.
    /// </summary>
    public static async Task RetireAsync(this ISecretStore secrets, SecretReference reference, ILogger logger, string owner)
    {
        try
        {
            await secrets.DisableAsync(reference, CancellationToken.None);
        }
#pragma warning disable CA1031 // Best effort by design, see above.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.LogWarning(ex, "Could not disable an old secret version of {Owner}", owner);
        }
    }
}
