using Microsoft.Extensions.Options;

namespace ProcoreConnect.Hosting;

/// <summary>Checks <see cref="PublicUrlOptions"/>'s attributes with code generated at build time, not by reflection at start-up.</summary>
[OptionsValidator]
public sealed partial class PublicUrlOptionsValidator : IValidateOptions<PublicUrlOptions>;
