using System.Text.Json;

namespace ProcoreConnect.Procore;

/// <summary>A REST call's status and JSON body (status 0: Procore could not be reached).</summary>
public sealed record ProcoreApiResponse(int Status, JsonElement? Body);
