using System.Net;
using System.Text.Json;
using ProcoreConnect.Audit;
using ProcoreConnect.Security;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.Tokens;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Tests.Partners;

/// <summary>A partner creates, lists and revokes its own API keys, never another's; the admin keeps its own routes.</summary>
public sealed class OwnKeyTests(ProcoreFixture fixture) : IClassFixture<ProcoreFixture>
{
    [Fact]
    public async Task A_partner_creates_lists_and_revokes_its_own_key_which_is_shown_once_and_audited()
    {
        var partner = fixture.App.ClientFor("keys-own");
        var created = await partner.PostAsync("/api/partner/keys", Json.Body(new { name = "ci pipeline" }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("no-store", created.Headers.CacheControl?.ToString());
        var body = await created.ReadJsonAsync();
        var (keyId, key) = (body.GetProperty("keyId").GetString()!, body.GetProperty("key").GetString()!);
        Assert.StartsWith($"pck_{keyId}_", key, StringComparison.Ordinal);
        Assert.Equal("keys-own", body.GetProperty("partnerId").GetString());

        var listed = await partner.GetAsync("/api/partner/keys");
        var text = await listed.Content.ReadAsStringAsync();
        Assert.DoesNotContain(key[(keyId.Length + 5)..], text, StringComparison.Ordinal);
        var entry = Keys(await listed.ReadJsonAsync()).Single(k => k.GetProperty("keyId").GetString() == keyId);
        Assert.Equal("ci pipeline", entry.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("lastUsedAt").ValueKind);

        var withNewKey = WithKey(key);
        Assert.Equal(HttpStatusCode.OK, (await withNewKey.GetAsync("/api/workspaces")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await partner.DeleteAsync($"/api/partner/keys/{keyId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await withNewKey.GetAsync("/api/workspaces")).StatusCode);
        Assert.NotEqual(JsonValueKind.Null, Keys(await (await partner.GetAsync("/api/partner/keys")).ReadJsonAsync()).Single(k => k.GetProperty("keyId").GetString() == keyId).GetProperty("revokedAt").ValueKind);

        var audit = await AuditAsync("keys-own");
        var creator = KeyIdOf(fixture.App.PartnerKey("keys-own"));
        Assert.Contains(audit, e => e.Action == "partner.key_created" && e.Details == keyId && e.Actor == $"keys-own ({creator})");
        Assert.Contains(audit, e => e.Action == "partner.key_revoked" && e.Details == keyId && e.Actor == $"keys-own ({creator})");
        Assert.DoesNotContain(fixture.App.Logs.Lines, l => l.Contains(key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_partner_can_neither_see_nor_revoke_another_partners_key_and_guessing_its_id_answers_as_an_unknown_one()
    {
        var owner = fixture.App.ClientFor("keys-owner");
        var created = await (await owner.PostAsync("/api/partner/keys", null)).ReadJsonAsync();
        var (keyId, key) = (created.GetProperty("keyId").GetString()!, created.GetProperty("key").GetString()!);
        var auditBefore = await AuditAsync("keys-owner");
        var intruder = fixture.App.ClientFor("keys-intruder");

        var seen = Keys(await (await intruder.GetAsync("/api/partner/keys")).ReadJsonAsync());
        Assert.NotEmpty(seen);
        Assert.All(seen, k => Assert.Equal("keys-intruder", k.GetProperty("partnerId").GetString()));

        var theirs = await intruder.DeleteAsync($"/api/partner/keys/{keyId}");
        var unknown = await intruder.DeleteAsync("/api/partner/keys/ffffffffffffffff");
        Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(
            (await unknown.Content.ReadAsStringAsync()).Replace("ffffffffffffffff", keyId, StringComparison.Ordinal).Split("traceId")[0],
            (await theirs.Content.ReadAsStringAsync()).Split("traceId")[0]);
        Assert.Equal(HttpStatusCode.Forbidden, (await intruder.GetAsync("/api/partners/keys-owner/keys")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await intruder.DeleteAsync($"/api/partners/keys-owner/keys/{keyId}")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await WithKey(key).GetAsync("/api/workspaces")).StatusCode);
        Assert.Equal(JsonValueKind.Null, Keys(await (await owner.GetAsync("/api/partner/keys")).ReadJsonAsync()).Single(k => k.GetProperty("keyId").GetString() == keyId).GetProperty("revokedAt").ValueKind);
        Assert.Equal(auditBefore.Count, (await AuditAsync("keys-owner")).Count);
    }

    [Fact]
    public async Task A_partner_may_revoke_the_key_it_calls_with_and_its_next_call_is_a_401()
    {
        var created = await (await fixture.App.ClientFor("keys-self").PostAsync("/api/partner/keys", null)).ReadJsonAsync();
        var (keyId, key) = (created.GetProperty("keyId").GetString()!, created.GetProperty("key").GetString()!);
        var self = WithKey(key);

        Assert.Equal(HttpStatusCode.NoContent, (await self.DeleteAsync($"/api/partner/keys/{keyId}")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await self.GetAsync("/api/partner/keys")).StatusCode);
        Assert.Contains(await AuditAsync("keys-self"), e => e.Action == "partner.key_revoked" && e.Details == keyId && e.Actor == $"keys-self ({keyId})");
    }

    [Fact]
    public async Task A_partner_holds_at_most_ten_unrevoked_keys_while_the_admin_is_not_bound()
    {
        var partner = fixture.App.ClientFor("keys-cap"); // one key already: the one it calls with
        var made = new List<string>();
        for (var i = 1; i < 10; i++)
        {
            var response = await partner.PostAsync("/api/partner/keys", null);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            made.Add((await response.ReadJsonAsync()).GetProperty("keyId").GetString()!);
        }

        var refused = await partner.PostAsync("/api/partner/keys", null);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("DELETE /api/partner/keys/{keyId}", (await refused.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(10, Keys(await (await partner.GetAsync("/api/partner/keys")).ReadJsonAsync()).Count);

        Assert.Equal(HttpStatusCode.NoContent, (await partner.DeleteAsync($"/api/partner/keys/{made[0]}")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await partner.PostAsync("/api/partner/keys", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await partner.PostAsync("/api/partner/keys", null)).StatusCode);
        var admin = fixture.App.AnonymousClient();
        admin.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.Header, AppFactory.AdminKey);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/api/partners/keys-cap/keys", null)).StatusCode);
    }

    [Fact]
    public async Task A_keys_last_use_is_listed_written_at_most_once_per_interval()
    {
        var partner = fixture.App.ClientFor("keys-used");
        var created = await (await partner.PostAsync("/api/partner/keys", null)).ReadJsonAsync();
        var (keyId, key) = (created.GetProperty("keyId").GetString()!, created.GetProperty("key").GetString()!);
        var first = fixture.Clock.GetUtcNow();

        Assert.Equal(HttpStatusCode.OK, (await WithKey(key).GetAsync("/api/workspaces")).StatusCode);
        Assert.Equal(first, await LastUsedAsync(partner, keyId), TimeSpan.FromSeconds(1));

        fixture.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.OK, (await WithKey(key).GetAsync("/api/workspaces")).StatusCode);
        Assert.Equal(first, await LastUsedAsync(partner, keyId), TimeSpan.FromSeconds(1));

        fixture.Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(HttpStatusCode.OK, (await WithKey(key).GetAsync("/api/workspaces")).StatusCode);
        Assert.Equal(first.AddMinutes(6), await LastUsedAsync(partner, keyId), TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task A_self_revoked_key_stops_on_another_instance_within_the_key_cache_duration_hot_token_lane_included()
    {
        var id = await fixture.ConnectedWorkspaceAsync(fixture.Simulator.Register());
        var created = await (await fixture.Client.PostAsync("/api/partner/keys", null)).ReadJsonAsync();
        var (keyId, key) = (created.GetProperty("keyId").GetString()!, created.GetProperty("key").GetString()!);
        await using var second = fixture.App.SecondInstance();
        var onSecond = second.AnonymousClient();
        onSecond.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.Header, key);
        Assert.Equal(HttpStatusCode.OK, (await onSecond.GetAsync($"/api/workspaces/{id}/token")).StatusCode);
        Assert.NotNull(second.Service<TokenReader>().Hot(new WorkspaceRef(AppFactory.DefaultPartner, id)));

        Assert.Equal(HttpStatusCode.NoContent, (await WithKey(key).DeleteAsync($"/api/partner/keys/{keyId}")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await WithKey(key).GetAsync($"/api/workspaces/{id}/token")).StatusCode);
        // The second instance trusts what it verified for Auth:KeyCacheDuration, as for an admin's revocation...
        Assert.Equal(HttpStatusCode.OK, (await onSecond.GetAsync($"/api/workspaces/{id}/token")).StatusCode);
        fixture.Clock.Advance(new AuthOptions().KeyCacheDuration + TimeSpan.FromSeconds(1));
        // ...and then refuses it, though the token is still in its memory for the hot lane to answer from.
        Assert.NotNull(second.Service<TokenReader>().Hot(new WorkspaceRef(AppFactory.DefaultPartner, id)));
        Assert.Equal(HttpStatusCode.Unauthorized, (await onSecond.GetAsync($"/api/workspaces/{id}/token")).StatusCode);
    }

    private HttpClient WithKey(string key)
    {
        var client = fixture.App.AnonymousClient();
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.Header, key);
        return client;
    }

    private static string KeyIdOf(string key) => key[4..key.IndexOf('_', 4)];

    private static List<JsonElement> Keys(JsonElement list) => [.. list.EnumerateArray()];

    private Task<IReadOnlyList<AuditEntry>> AuditAsync(string partnerId) => fixture.App.Service<AuditLog>().ReadAsync("partner:" + partnerId, 100, default);

    private static async Task<DateTimeOffset> LastUsedAsync(HttpClient partner, string keyId) =>
        Keys(await (await partner.GetAsync("/api/partner/keys")).ReadJsonAsync())
            .Single(k => k.GetProperty("keyId").GetString() == keyId).GetProperty("lastUsedAt").GetDateTimeOffset();
}
