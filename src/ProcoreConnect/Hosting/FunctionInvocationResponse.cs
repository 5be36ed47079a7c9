using System.Text.Json.Serialization;

namespace ProcoreConnect.Hosting;

/// <summary>The custom-handler response the Functions host expects from a non-HTTP invocation.</summary>
public sealed record FunctionInvocationResponse
{
    /// <summary>Output binding values; none of our timer functions has output bindings.</summary>
    [JsonPropertyName("Outputs")]
    public IReadOnlyDictionary<string, object?> Outputs { get; init; } = new Dictionary<string, object?>();

    /// <summary>Lines the host writes to the invocation's log.</summary>
    [JsonPropertyName("Logs")]
    public IReadOnlyList<string> Logs { get; init; } = [];

    /// <summary>The function's return value; always null here.</summary>
    [JsonPropertyName("ReturnValue")]
    public object? ReturnValue { get; init; }
}
