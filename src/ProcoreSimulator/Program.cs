namespace ProcoreSimulator;

/// <summary>Runs the simulator; <c>--urls http://127.0.0.1:7072</c> picks its address.</summary>
internal static class SimulatorProgram
{
    private static void Main(string[] args) => ProcoreSimulatorApp.Create(args).Run();
}
