using ProcoreConnect.Tokens;

namespace ProcoreConnect.Tests.Tokens;

public sealed class TokenSecretTests
{
    [Theory]
    [InlineData("access-1", "refresh-1")]
    [InlineData("access-2", null)]
    public void A_written_value_reads_back_the_same(string access, string? refresh)
    {
        var secret = new TokenSecret(access, refresh);

        var value = secret.Serialize();

        Assert.Equal(secret, TokenSecret.Parse(value));
        Assert.Contains("\"access_token\"", value, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"refresh_token":"r"}""")]
    [InlineData("null")]
    public void A_value_without_an_access_token_is_refused(string value) =>
        Assert.Throws<FormatException>(() => TokenSecret.Parse(value));

    [Fact]
    public void Printing_it_never_shows_a_token()
    {
        var text = new TokenSecret("access-value-123", "refresh-value-456").ToString();

        Assert.DoesNotContain("access-value-123", text, StringComparison.Ordinal);
        Assert.DoesNotContain("refresh-value-456", text, StringComparison.Ordinal);
    }
}
