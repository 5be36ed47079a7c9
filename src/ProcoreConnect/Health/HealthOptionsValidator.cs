using Microsoft.Extensions.Options;

namespace ProcoreConnect.Health;

/// <summary>Checks <see cref="HealthOptions"/>'s attributes with code generated at build time, not by reflection at start-up.</summary>
[OptionsValidator]
public sealed partial class HealthOptionsValidator : IValidateOptions<HealthOptions>;
