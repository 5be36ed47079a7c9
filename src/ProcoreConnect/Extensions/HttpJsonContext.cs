using System.Text.Json.Serialization;
using ProcoreConnect.Health;
using ProcoreConnect.Tokens;

namespace ProcoreConnect.Extensions;

/// <summary>
/// Compile-time JSON metadata for the answers of the start-up and hot paths (health, token).
/// Without it, the first health answer after a cold start built its serializer by reflection and
/// Reflection.Emit, and every token answer went through reflection-built metadata. Types not
/// listed here still fall back to reflection; the options (camelCase, enum names) apply as before.
/// </summary>
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(TokenResponse))]
internal sealed partial class HttpJsonContext : JsonSerializerContext;
