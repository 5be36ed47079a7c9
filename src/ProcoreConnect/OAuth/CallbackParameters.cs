namespace ProcoreConnect.OAuth;

/// <summary>What Procore's redirect back carries: the state, and a code or an error.</summary>
public sealed record CallbackParameters(string? State, string? Code, string? Error, string? ErrorDescription)
{
    /// <summary>The longest error text that reaches a log line.</summary>
    public const int MaxLoggedLength = 100;

    /// <summary>Procore's error as a log line may carry it: printable ASCII only, at most <see cref="MaxLoggedLength"/> characters.</summary>
    public string LoggableError => Loggable(Error) + (ErrorDescription is null ? "" : ": " + Loggable(ErrorDescription));

    /// <summary>Never the state or the code: whoever holds both can finish the sign-in.</summary>
    public override string ToString() => $"{nameof(CallbackParameters)} {{ code {(Code is null ? "absent" : "sent")}, error {LoggableError} }}";

    // Anyone can call the callback with any text: nothing in it may forge or break a log line.
    private static string Loggable(string? text)
    {
        if (text is null)
        {
            return "none";
        }

        var kept = new string([.. text.Take(MaxLoggedLength).Select(c => c is >= ' ' and <= '~' ? c : '?')]);
        return text.Length > MaxLoggedLength ? kept + "..." : kept;
    }
}
