using Microsoft.Extensions.Options;

namespace ProcoreConnect.Security;

/// <summary>Checks <see cref="RateLimitOptions"/>'s attributes with code generated at build time, not by reflection at start-up.</summary>
[OptionsValidator]
public sealed partial class RateLimitOptionsValidator : IValidateOptions<RateLimitOptions>;
