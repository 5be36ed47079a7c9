using System.ComponentModel.DataAnnotations;

namespace ProcoreConnect.ProcoreCalls;

/// <summary>How the Procore proxy forwards, retries and remembers calls.</summary>
public sealed class ProcoreCallOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "ProcoreCalls";

    /// <summary>
    /// How long a call stays in the call log; the <c>PurgeProcoreCalls</c> timer deletes older ones.
    /// At least 14 days, the window of Procore's Integration Health that the health summary mirrors.
    /// </summary>
    [Range(typeof(TimeSpan), "14.00:00:00", "365.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(14);

    /// <summary>
    /// The largest request body kept in memory so that a call Procore answers 401 can be sent again
    /// with a new token; a larger or unsized body is streamed once and its 401 goes back.
    /// </summary>
    [Range(0, 1024 * 1024)]
    public int ReplayableBodyBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// The largest answer of Procore's (by its <c>Content-Length</c>) the proxy relays; a larger one
    /// is not read and the call answers 502 <c>answer_too_large</c>. Unset: no cap, which is right
    /// where the proxy streams (locally). Set in Azure (infra/main.bicep): the Functions host reads
    /// the handler's whole answer into its own memory before passing it on.
    /// </summary>
    [Range(1, long.MaxValue)]
    public long? MaxAnswerBytes { get; set; }

    /// <summary>How long Procore may stay silent (before its answer's headers, or between body reads) before the call fails with 504.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan ActivityTimeout { get; set; } = TimeSpan.FromSeconds(100);
}
