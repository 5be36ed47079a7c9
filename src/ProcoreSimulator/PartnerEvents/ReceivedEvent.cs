using System.Text.Json;

namespace ProcoreSimulator.PartnerEvents;

/// <summary>One event as the stand-in partner endpoint received it: its signature headers and body.</summary>
public sealed record ReceivedEvent(string? EventId, string? Timestamp, string? Signature, DateTimeOffset ReceivedAt, JsonElement Body);
