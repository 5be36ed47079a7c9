using Microsoft.Extensions.Options;

namespace ProcoreConnect.Procore;

/// <summary>Checks <see cref="ProcoreFairShareOptions"/>'s attributes with code generated at build time, not by reflection at start-up.</summary>
[OptionsValidator]
public sealed partial class ProcoreFairShareOptionsValidator : IValidateOptions<ProcoreFairShareOptions>;
