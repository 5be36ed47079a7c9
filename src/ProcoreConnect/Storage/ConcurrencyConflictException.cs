namespace ProcoreConnect.Storage;

/// <summary>A write lost a race: the row changed (or appeared) since it was read.</summary>
public sealed class ConcurrencyConflictException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ConcurrencyConflictException(string message, Exception? inner = null) : base(message, inner) { }

    /// <summary>Creates the exception.</summary>
    public ConcurrencyConflictException() { }

    /// <summary>Creates the exception.</summary>
    public ConcurrencyConflictException(string message) : base(message) { }
}
