using Microsoft.Extensions.Options;

namespace ProcoreConnect.Webhooks;

/// <summary>Checks <see cref="WebhookOptions"/>'s attributes with code generated at build time, not by reflection at start-up.</summary>
[OptionsValidator]
public sealed partial class WebhookOptionsValidator : IValidateOptions<WebhookOptions>;
