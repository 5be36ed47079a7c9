using Microsoft.AspNetCore.Http.HttpResults;
using ProcoreConnect.Workspaces;
using Yarp.ReverseProxy.Forwarder;

namespace ProcoreConnect.ProcoreCalls;

/// <summary>One proxied call being answered: when it began, and the call log entry it ends with.</summary>
internal sealed class CallInProgress(HttpContext context, WorkspaceRef workspace, ProcorePath path, TimeProvider time)
{
    private readonly DateTimeOffset _at = time.GetUtcNow();
    private readonly long _started = time.GetTimestamp();

    /// <summary>The workspace's key, once its token says it (else the recorder looks it up).</summary>
    public string? WorkspaceKey { get; set; }

    /// <summary>Whether a 401 made the call go out a second time.</summary>
    public bool Retried { get; set; }

    /// <summary>Ends a call the service answered itself (nothing was sent, or the retry had no token).</summary>
    public ProblemHttpResult AnsweredLocally(ProblemHttpResult problem, ProcoreCallRecorder recorder)
    {
        recorder.Record(Entry(problem.StatusCode, locally: true, requestId: null, remaining: null, error: null));
        return problem;
    }

    /// <summary>Ends a forwarded call: its problem when Procore could not be reached and nothing was written yet, else null.</summary>
    public ProblemHttpResult? Forwarded(ForwarderError error, ProcoreCallTransformer transformer, ProcoreCallRecorder recorder)
    {
        ProblemHttpResult? problem = null;
        if (error != ForwarderError.None && !context.Response.HasStarted && context.Response.StatusCode >= 500)
        {
            problem = TypedResults.Problem(
                $"The call to Procore failed ({error}); it may or may not have reached Procore. Retry if the call is safe to repeat.",
                statusCode: context.Response.StatusCode, title: "Procore unreachable");
        }

        recorder.Record(Entry(context.Response.StatusCode, locally: false, transformer.RequestId, transformer.RateLimitRemaining, error == ForwarderError.None ? null : error.ToString()));
        return problem;
    }

    private ProcoreCallEntry Entry(int status, bool locally, string? requestId, long? remaining, string? error) => new()
    {
        WorkspaceKey = WorkspaceKey ?? "",
        PartnerId = workspace.PartnerId,
        WorkspaceId = workspace.Id,
        At = _at,
        Method = context.Request.Method,
        Path = path.Redacted(),
        Status = status,
        AnsweredLocally = locally,
        DurationMs = Math.Round(time.GetElapsedTime(_started).TotalMilliseconds, 3),
        ProcoreRequestId = requestId,
        RateLimitRemaining = remaining,
        Retried = Retried,
        Error = error,
    };
}
