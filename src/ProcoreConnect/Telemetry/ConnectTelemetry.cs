using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ProcoreConnect.Telemetry;

/// <summary>The app's own traces and metrics: refreshes, their failures, refreshes given up on, token age at refresh, callback outcomes.</summary>
public sealed class ConnectTelemetry
{
    /// <summary>The meter and activity source name.</summary>
    public const string Name = "ProcoreConnect";

    /// <summary>Spans of refreshes and callbacks.</summary>
    public static readonly ActivitySource Activities = new(Name);

    private readonly Counter<long> _refreshes;
    private readonly Histogram<double> _tokenAge;
    private readonly Counter<long> _callbacks;
    private readonly Counter<long> _abandoned;

    /// <summary>Creates the instruments on the app's meter.</summary>
    public ConnectTelemetry(IMeterFactory meters)
    {
        var meter = meters.Create(Name);
        _refreshes = meter.CreateCounter<long>("procore_connect.refreshes", "{refresh}", "Token refreshes at Procore, by auth flow and outcome.");
        _tokenAge = meter.CreateHistogram<double>("procore_connect.token_age_at_refresh", "s", "How old the access token was when it was replaced.");
        _callbacks = meter.CreateCounter<long>("procore_connect.callbacks", "{callback}", "OAuth callbacks, by outcome.");
        _abandoned = meter.CreateCounter<long>(
            "procore_connect.refreshes_abandoned", "{refresh}", "Due refreshes whose queue message reached the poison queue, by auth flow.");
    }

    /// <summary>Records one refresh attempt.</summary>
    public void Refreshed(string authFlow, string outcome, TimeSpan? tokenAge)
    {
        _refreshes.Add(1, new KeyValuePair<string, object?>("auth_flow", authFlow), new KeyValuePair<string, object?>("outcome", outcome));
        if (tokenAge is { } age && outcome == "succeeded")
        {
            _tokenAge.Record(Math.Max(0, age.TotalSeconds), new KeyValuePair<string, object?>("auth_flow", authFlow));
        }
    }

    /// <summary>Records one due refresh the queue gave up on.</summary>
    public void RefreshAbandoned(string authFlow) => _abandoned.Add(1, new KeyValuePair<string, object?>("auth_flow", authFlow));

    /// <summary>Records one callback.</summary>
    public void Callback(string outcome) => _callbacks.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
}
