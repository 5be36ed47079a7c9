namespace ProcoreConnect.Hosting;

/// <summary>The Functions host's <c>authLevel</c> for an HTTP trigger.</summary>
public enum FunctionAuthLevel
{
    /// <summary>No key needed at the host; the app still authenticates callers itself.</summary>
    Anonymous,

    /// <summary>The host requires a function or host key.</summary>
    Function,
}
