namespace ProcoreConnect.Security;

/// <summary>
/// Notes, for <see cref="RateLimiting"/>, that the current request reached Procore or wrote to
/// the secret store: such a request keeps its permit even when it ends in a 400.
/// </summary>
public static class CostlyWork
{
    private static readonly AsyncLocal<Tracker?> Current = new();

    /// <summary>Starts tracking the calling flow (the request) and everything it awaits.</summary>
    public static Tracker Track() => Current.Value = new Tracker();

    /// <summary>Records that the current request spent what the limiter guards.</summary>
    public static void Note()
    {
        if (Current.Value is { } tracker)
        {
            tracker.Done = true;
        }
    }

    /// <summary>Whether a tracked request did costly work.</summary>
    public sealed class Tracker
    {
        private volatile bool _done;

        /// <summary>True once the request reached Procore or wrote a secret.</summary>
        public bool Done
        {
            get => _done;
            internal set => _done = value;
        }
    }
}
