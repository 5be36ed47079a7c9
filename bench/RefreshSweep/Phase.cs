using System.Diagnostics;
using ProcoreSimulator.State;

namespace RefreshSweep;

/// <summary>What one measured refresh run did, as printed.</summary>
internal sealed record PhaseResult(TimeSpan Elapsed, int Refreshes, int Duplicates, int DeadTokens, int MaxConcurrent);

/// <summary>Runs one refresh path over every due workspace and prints its time, memory and operations per refresh.</summary>
internal static class Phase
{
    public static async Task<PhaseResult> RunAsync(string title, BenchInstance instance, SimulatorState state, int due, Func<Task<string>> run)
    {
        var before = state.Stats();
        instance.ClearCounts();
        GC.Collect();
        using var memory = new PeakMemory();

        var watch = Stopwatch.StartNew();
        var summary = await run();
        watch.Stop();
        var after = state.Stats();
        var refreshes = after.RefreshTokenGrants - before.RefreshTokenGrants;
        var result = new PhaseResult(
            watch.Elapsed, refreshes, refreshes - due, after.RefreshTokenReuses - before.RefreshTokenReuses, after.MaxConcurrentRefreshesPerGrant);

        var per = Math.Max(1, refreshes);
        var secretOps = instance.Secrets.Counts.Sum(c => c.Value);
        var tableOps = instance.Tables.Counts.Where(c => !c.Key.Contains("LocalSecrets", StringComparison.Ordinal)).Sum(c => c.Value);
        Console.WriteLine(title);
        Console.WriteLine($"  time to refresh all: {watch.Elapsed.TotalSeconds:F1} s ({refreshes / watch.Elapsed.TotalSeconds:F0} refreshes/s)");
        Console.WriteLine($"  {summary}");
        Console.WriteLine($"  refreshes at Procore: {refreshes} for {due} due; duplicates: {result.Duplicates}; dead refresh tokens presented: {result.DeadTokens}; most concurrent refreshes of one grant: {result.MaxConcurrent}");
        Console.WriteLine($"  peak working set: {memory.PeakWorkingSet / 1024 / 1024} MiB; peak managed heap: {memory.PeakManaged / 1024 / 1024} MiB");
        Console.WriteLine($"  secret-store operations per refresh: {(double)secretOps / per:F3} ({string.Join(", ", instance.Secrets.Counts.OrderBy(c => c.Key).Select(c => $"{c.Key} {c.Value}"))})");
        Console.WriteLine($"  table requests per refresh (registry, index, leases; a transaction counts once): {(double)tableOps / per:F3}");
        Console.WriteLine($"  queue requests per refresh: {(double)instance.Queue.Total / per:F3}; storage requests per refresh, tables and queue: {(double)(tableOps + instance.Queue.Total) / per:F3}");
        Console.WriteLine("  every storage request (the local secret store's included), by table or queue:");
        foreach (var counter in new[] { instance.Tables, instance.Queue })
        {
            foreach (var (key, value) in counter.Counts.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                Console.WriteLine($"    {key}: {value}, mean {TimeSpan.FromTicks(counter.Ticks[key] / value).TotalMilliseconds:F1} ms");
            }
        }

        return result;
    }

    /// <summary>Samples the process's working set and managed heap every 50 ms.</summary>
    private sealed class PeakMemory : IDisposable
    {
        private readonly Process _process = Process.GetCurrentProcess();
        private readonly Timer _timer;

        public PeakMemory() => _timer = new Timer(_ => Sample(), null, 0, 50);

        public long PeakWorkingSet { get; private set; }

        public long PeakManaged { get; private set; }

        private void Sample()
        {
            _process.Refresh();
            PeakWorkingSet = Math.Max(PeakWorkingSet, _process.WorkingSet64);
            PeakManaged = Math.Max(PeakManaged, GC.GetTotalMemory(false));
        }

        public void Dispose()
        {
            _timer.Dispose();
            _process.Dispose();
        }
    }
}
