namespace ProcoreConnect.Secrets;

/// <summary>A secret version that does not exist or is disabled.</summary>
public sealed class SecretNotFoundException : Exception
{
    /// <summary>Creates the exception for a reference.</summary>
    public SecretNotFoundException(SecretReference reference, Exception? inner = null)
        : base($"Secret '{reference.Name}' version '{reference.Version}' is missing or disabled.", inner) { }

    /// <summary>Creates the exception.</summary>
    public SecretNotFoundException() { }

    /// <summary>Creates the exception.</summary>
    public SecretNotFoundException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public SecretNotFoundException(string message, Exception inner) : base(message, inner) { }
}
