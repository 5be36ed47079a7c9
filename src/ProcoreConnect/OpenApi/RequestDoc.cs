namespace ProcoreConnect.OpenApi;

/// <summary>
/// A JSON request body read by the handler itself (<see cref="Http.JsonBody"/>): its type, an
/// example, and the fields the handler refuses to go without (the request records are all
/// nullable so that the handler can name each missing field).
/// </summary>
/// <param name="Type">The record the body is read into.</param>
/// <param name="Example">An instance of <paramref name="Type"/>, serialized the way the service reads it.</param>
/// <param name="RequiredFields">The wire names of the fields a valid body must carry.</param>
/// <param name="Optional">True when the body itself may be left out.</param>
public sealed record RequestDoc(Type Type, object Example, IReadOnlyList<string> RequiredFields, bool Optional = false)
{
    /// <summary>The body's media type.</summary>
    public string ContentType { get; init; } = System.Net.Mime.MediaTypeNames.Application.Json;

    /// <summary>A body of type <typeparamref name="T"/> that must carry <paramref name="requiredFields"/>.</summary>
    public static RequestDoc Json<T>(T example, params string[] requiredFields) where T : notnull => new(typeof(T), example, requiredFields);
}
