using System.Net.Mime;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace ProcoreConnect.OpenApi;

/// <summary>One response of an operation: its status, when it happens, and an example.</summary>
public sealed record ResponseDoc
{
    /// <summary>The HTTP status.</summary>
    public required int Status { get; init; }

    /// <summary>When the operation answers it.</summary>
    public required string Description { get; init; }

    /// <summary>The body's type, when the handler's signature does not declare it for this status.</summary>
    public Type? Body { get; init; }

    /// <summary>The body's media type; null for a response without a body.</summary>
    public string? ContentType { get; init; } = MediaTypeNames.Application.Json;

    /// <summary>An example body (serialized with the service's JSON options), or null.</summary>
    public object? Example { get; init; }

    /// <summary>The header the response carries, by name, with its description.</summary>
    public (string Name, string Description)? Header { get; init; }

    /// <summary>A response whose body, if any, the signature or the problem details middleware already declares.</summary>
    public static ResponseDoc When(int status, string description) =>
        new() { Status = status, Description = description, ContentType = null };

    /// <summary>A success answer the signature declares; <paramref name="example"/> is the body.</summary>
    public static ResponseDoc Ok(int status, string description, object? example = null) =>
        new() { Status = status, Description = description, Example = example };

    /// <summary>A JSON answer the signature does not declare (a handler returning <c>IResult</c> or a dynamic status).</summary>
    public static ResponseDoc Json<T>(int status, string description, T example) where T : notnull =>
        new() { Status = status, Description = description, Body = typeof(T), Example = example };

    /// <summary>A problem answer: its status, title and detail come from <paramref name="example"/>, the very result the handler returns.</summary>
    public static ResponseDoc Problem(ProblemHttpResult example, string when) =>
        ProblemOf(example.StatusCode, example.ProblemDetails, typeof(ProblemDetails), when);

    /// <summary>A 400 naming the invalid fields under <c>errors</c>; <paramref name="example"/> is one the handler returns.</summary>
    public static ResponseDoc Invalid(ValidationProblem example, string when) =>
        ProblemOf(example.StatusCode, example.ProblemDetails, typeof(HttpValidationProblemDetails), when);

    /// <summary>An HTML page for a person's browser.</summary>
    public static ResponseDoc Html(int status, string description) =>
        new() { Status = status, Description = description, ContentType = MediaTypeNames.Text.Html, Body = typeof(string) };

    /// <summary>A redirect; <paramref name="location"/> is an example of where to.</summary>
    public static ResponseDoc Redirect(string description, string location, int status = StatusCodes.Status302Found) =>
        new() { Status = status, Description = description, ContentType = null, Header = ("Location", $"Where to, e.g. `{location}`.") };

    /// <summary>The media type of RFC 7807 problem details.</summary>
    public const string ProblemContentType = "application/problem+json";

    private static ResponseDoc ProblemOf(int status, ProblemDetails example, Type body, string when) =>
        new() { Status = status, Description = when, Body = body, ContentType = ProblemContentType, Example = example };
}
