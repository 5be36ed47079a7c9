namespace ProcoreConnect.Hosting;

/// <summary>How the Azure Functions host invokes a function.</summary>
public enum FunctionTrigger
{
    /// <summary>An HTTP request, forwarded by the host to the same path under <c>/api</c>.</summary>
    Http,

    /// <summary>A schedule; the host POSTs an invocation payload to <c>/{FunctionName}</c>.</summary>
    Timer,

    /// <summary>A storage queue message; the host POSTs an invocation payload to <c>/{FunctionName}</c>.</summary>
    Queue,
}
