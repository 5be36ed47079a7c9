namespace ProcoreConnect.Audit;

/// <summary>One configuration change: who, what, when. Field names only, never values.</summary>
public sealed record AuditEntry(string Scope, string Actor, string Action, string? Details, DateTimeOffset At);
