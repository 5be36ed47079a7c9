using System.Diagnostics.Metrics;
using ProcoreConnect.Telemetry;

namespace ProcoreConnect.ProcoreCalls;

/// <summary>
/// The proxy's metrics on the app's meter, tagged by partner: calls by status class, 429s
/// (Procore's and the service's own), and call durations (from which p50 and p99 are read).
/// </summary>
/// <remarks>
/// Not by workspace or OAuth client: a partner makes as many of those as it likes, and past the
/// exporter's limit of series per metric every new series, another partner's too, falls into one
/// overflow series. Partners are made by the operator. Each workspace's own figures are its call
/// log and health summary.
/// </remarks>
public sealed class ProcoreCallMetrics
{
    private readonly Counter<long> _calls;
    private readonly Counter<long> _throttled;
    private readonly Histogram<double> _duration;

    /// <summary>Creates the instruments on the app's meter.</summary>
    public ProcoreCallMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(ConnectTelemetry.Name);
        _calls = meter.CreateCounter<long>("procore_connect.procore_calls", "{call}", "Calls through the Procore proxy, by partner and status class.");
        _throttled = meter.CreateCounter<long>(
            "procore_connect.procore_calls_throttled", "{call}", "Proxied calls answered 429, by partner and whether the service answered without calling Procore.");
        _duration = meter.CreateHistogram<double>("procore_connect.procore_call_duration", "ms", "Duration of calls through the Procore proxy, by partner.");
    }

    /// <summary>Records one call.</summary>
    public void Called(ProcoreCallEntry call)
    {
        var partner = new KeyValuePair<string, object?>("partner", call.PartnerId);
        _calls.Add(1, partner, new KeyValuePair<string, object?>("status_class", (call.Status / 100) + "xx"));
        if (call.Status == StatusCodes.Status429TooManyRequests)
        {
            _throttled.Add(1, partner, new KeyValuePair<string, object?>("answered_locally", call.AnsweredLocally));
        }

        _duration.Record(call.DurationMs, partner);
    }
}
