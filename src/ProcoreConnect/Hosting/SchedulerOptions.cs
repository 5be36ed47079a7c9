namespace ProcoreConnect.Hosting;

/// <summary>Settings of the local timer scheduler.</summary>
public sealed class SchedulerOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Scheduler";

    /// <summary>Fire timer functions in-process when not hosted by the Functions host.</summary>
    public bool Enabled { get; set; } = true;
}
