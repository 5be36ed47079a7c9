using Microsoft.Extensions.Options;

namespace ProcoreConnect.Extensions;

/// <summary>Options checked before the server starts.</summary>
public static class ValidatedOptionsExtensions
{
    /// <summary>
    /// Validates the options on start with <paramref name="validator"/>, an <c>[OptionsValidator]</c>:
    /// the data-annotation validator reads every property by reflection at start-up.
    /// </summary>
    public static OptionsBuilder<TOptions> ValidateOnStartWith<TOptions>(this OptionsBuilder<TOptions> options, IValidateOptions<TOptions> validator)
        where TOptions : class
    {
        options.Services.AddSingleton(validator);
        return options.ValidateOnStart();
    }
}
