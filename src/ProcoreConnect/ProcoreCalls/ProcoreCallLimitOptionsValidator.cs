using Microsoft.Extensions.Options;

namespace ProcoreConnect.ProcoreCalls;

/// <summary>Checks <see cref="ProcoreCallLimitOptions"/>'s attributes with code generated at build time, not by reflection at start-up.</summary>
[OptionsValidator]
public sealed partial class ProcoreCallLimitOptionsValidator : IValidateOptions<ProcoreCallLimitOptions>;
