using ProcoreConnect.ProcoreCalls;

namespace ProcoreConnect.Tests.ProcoreCalls;

/// <summary>What of a proxied call's query the call log keeps: the names, never a value, also one written where a name goes.</summary>
public sealed class ProcorePathRedactionTests
{
    [Theory]
    [InlineData("?page=2&per_page=100", "rest/v1.0/x?page=&per_page=")]
    [InlineData("?filters[updated_at]=2026-01-01", "rest/v1.0/x?filters[updated_at]=")]
    [InlineData("?SECRETONE", "rest/v1.0/x")]
    [InlineData("?SECRETTWO;page=1", "rest/v1.0/x?page=")]
    [InlineData("?c2VjcmV0LXZhbHVlLWxvbmc==", "rest/v1.0/x")]
    [InlineData("?SECRETFOUR%3Dx=1", "rest/v1.0/x")]
    [InlineData("?page=1&eyJhbGciOiJIUzI1NiJ9eyJzdWIiOiIxMjM0NTY3ODkwIn0=1", "rest/v1.0/x?page=")]
    public void The_call_log_keeps_only_what_can_only_be_a_name(string query, string logged)
    {
        Assert.Equal(logged, new ProcorePath("rest/v1.0/x", query).Redacted());
    }
}
