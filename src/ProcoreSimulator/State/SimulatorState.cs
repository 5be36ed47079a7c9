using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace ProcoreSimulator.State;

/// <summary>
/// Everything the simulated Procore knows: clients, codes, tokens, faults and counters. Refresh
/// tokens rotate strictly: each works once, and the old one is dead the moment a new one is issued.
/// </summary>
public sealed class SimulatorState(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, SimulatedClient> _clients = new();
    private readonly ConcurrentDictionary<string, PendingCode> _codes = new();
    private readonly ConcurrentDictionary<string, TokenGrant> _accessTokens = new();
    // A refresh token's client, the access token issued with it, and its grant: the authorization it
    // descends from through every rotation (one per workspace, in the service's terms).
    private readonly ConcurrentDictionary<string, (string ClientId, string AccessToken, string Grant)> _refreshTokens = new();
    private readonly ConcurrentDictionary<string, RateWindows> _apiCalls = new();
    private readonly ConcurrentDictionary<string, int> _inFlightRefreshes = new();
    private readonly ConcurrentDictionary<string, int> _inFlightClientCredentials = new();
    private readonly Lock _faultLock = new();
    private readonly Queue<int> _tokenFailures = new();
    private readonly Queue<string> _tokenRefusals = new();
    private readonly Queue<int> _apiFailures = new();
    private string? _lastCompanyHeader;
    private int _authorizationCodeGrants, _refreshGrants, _clientCredentialGrants, _failed, _reuses, _api, _maxConcurrent, _revocations, _maxConcurrentCredentials;

    /// <summary>The current fault settings.</summary>
    public SimulatorFaults Faults { get; private set; } = new();

    /// <summary>Registers or replaces a client.</summary>
    public void Register(SimulatedClient client) => _clients[client.ClientId] = client;

    /// <summary>The client with this id, if any.</summary>
    public SimulatedClient? Client(string? clientId) => clientId is not null && _clients.TryGetValue(clientId, out var c) ? c : null;

    /// <summary>Sets the fault knobs; queued failures replace any left over.</summary>
    public void SetFaults(SimulatorFaults faults)
    {
        lock (_faultLock)
        {
            Faults = faults;
            _tokenFailures.Clear();
            foreach (var status in faults.TokenFailures)
            {
                _tokenFailures.Enqueue(status);
            }

            _tokenRefusals.Clear();
            foreach (var error in faults.TokenRefusals)
            {
                _tokenRefusals.Enqueue(error);
            }

            _apiFailures.Clear();
            foreach (var status in faults.ApiFailures)
            {
                _apiFailures.Enqueue(status);
            }
        }
    }

    /// <summary>Forgets every token, code, client and counter.</summary>
    public void Reset()
    {
        _clients.Clear();
        _codes.Clear();
        _accessTokens.Clear();
        _refreshTokens.Clear();
        _apiCalls.Clear();
        SetFaults(new SimulatorFaults());
        _authorizationCodeGrants = _refreshGrants = _clientCredentialGrants = _failed = _reuses = _api = _maxConcurrent = _revocations = _maxConcurrentCredentials = 0;
        _lastCompanyHeader = null;
    }

    /// <summary>The counters.</summary>
    public SimulatorStats Stats() => new()
    {
        AuthorizationCodeGrants = _authorizationCodeGrants,
        RefreshTokenGrants = _refreshGrants,
        ClientCredentialsGrants = _clientCredentialGrants,
        FailedTokenRequests = _failed,
        RefreshTokenReuses = _reuses,
        ApiRequests = _api,
        MaxConcurrentRefreshesPerGrant = _maxConcurrent,
        LastCompanyIdHeader = _lastCompanyHeader,
        Revocations = _revocations,
        MaxConcurrentClientCredentialsPerClient = _maxConcurrentCredentials,
    };

    /// <summary>Issues a single-use authorization code (valid 10 minutes).</summary>
    public string IssueCode(string clientId, string redirectUri, string? codeChallenge)
    {
        var code = NewToken();
        _codes[code] = new PendingCode(clientId, redirectUri, codeChallenge, time.GetUtcNow().AddMinutes(10));
        return code;
    }

    /// <summary>Takes the next queued token failure, if any.</summary>
    public int? NextTokenFailure()
    {
        lock (_faultLock)
        {
            if (_tokenFailures.Count == 0)
            {
                return null;
            }

            Interlocked.Increment(ref _failed);
            return _tokenFailures.Dequeue();
        }
    }

    /// <summary>Takes the next queued token refusal (an OAuth error code), if any.</summary>
    public string? NextTokenRefusal()
    {
        lock (_faultLock)
        {
            return _tokenRefusals.TryDequeue(out var error) ? error : null;
        }
    }

    /// <summary>Exchanges an authorization code.</summary>
    public TokenOutcome ExchangeCode(SimulatedClient client, string? code, string? redirectUri, string? codeVerifier)
    {
        if (code is null || !_codes.TryRemove(code, out var pending) || pending.ExpiresAt < time.GetUtcNow())
        {
            return Error("invalid_grant", "The authorization code is invalid, expired or already used.");
        }

        if (pending.ClientId != client.ClientId || pending.RedirectUri != redirectUri)
        {
            return Error("invalid_grant", "The code was issued to another client or redirect_uri.");
        }

        if (pending.CodeChallenge is not null && (codeVerifier is null || Challenge(codeVerifier) != pending.CodeChallenge))
        {
            return Error("invalid_grant", "The code_verifier does not match the code_challenge.");
        }

        Interlocked.Increment(ref _authorizationCodeGrants);
        return Issue(client.ClientId, withRefreshToken: true, grant: NewToken());
    }

    /// <summary>Rotates a refresh token: the old one dies, a new one of the same grant is returned.</summary>
    public TokenOutcome Refresh(SimulatedClient client, string? refreshToken)
    {
        if (refreshToken is null)
        {
            return Error("invalid_request", "refresh_token is required.");
        }

        if (!_refreshTokens.TryRemove(refreshToken, out var owner))
        {
            Interlocked.Increment(ref _reuses);
            return Error("invalid_grant", "The refresh token is invalid, expired, revoked, or was already used.");
        }

        // Two refreshes of one grant at once would be a client bug: the second presents a token the first already spent.
        var concurrent = _inFlightRefreshes.AddOrUpdate(owner.Grant, 1, (_, n) => n + 1);
        try
        {
            InterlockedMax(ref _maxConcurrent, concurrent);
            if (owner.ClientId != client.ClientId)
            {
                return Error("invalid_grant", "The refresh token was issued to another client.");
            }

            Interlocked.Increment(ref _refreshGrants);
            return Issue(client.ClientId, withRefreshToken: true, grant: owner.Grant);
        }
        finally
        {
            _inFlightRefreshes.AddOrUpdate(owner.Grant, 0, (_, n) => n - 1);
        }
    }

    /// <summary>Client credentials: an access token for the app's DMSA, and no refresh token.</summary>
    public TokenOutcome ClientCredentials(SimulatedClient client)
    {
        var concurrent = _inFlightClientCredentials.AddOrUpdate(client.ClientId, 1, (_, n) => n + 1);
        try
        {
            InterlockedMax(ref _maxConcurrentCredentials, concurrent);
            Interlocked.Increment(ref _clientCredentialGrants);
            return Issue(client.ClientId, withRefreshToken: false, serviceAccount: true);
        }
        finally
        {
            _inFlightClientCredentials.AddOrUpdate(client.ClientId, 0, (_, n) => n - 1);
        }
    }

    /// <summary>
    /// Spends a refresh token presented in a call that failed: Procore invalidates the token on
    /// every refresh call, successful or not.
    /// </summary>
    public void Spend(string? refreshToken)
    {
        if (refreshToken is not null && _refreshTokens.TryRemove(refreshToken, out var grant))
        {
            _accessTokens.TryRemove(grant.AccessToken, out _);
        }
    }

    /// <summary>Ends an access token early (as a password change at Procore does); its refresh token still works.</summary>
    public void EndAccessToken(string accessToken) => _accessTokens.TryRemove(accessToken, out _);

    /// <summary>
    /// Revokes a grant, as <c>POST /oauth/revoke</c> does: given the access token (or its refresh
    /// token), both die. An unknown token is fine.
    /// </summary>
    public void Revoke(string token)
    {
        Interlocked.Increment(ref _revocations);
        if (_accessTokens.TryRemove(token, out var grant) && grant.RefreshToken is { } refresh)
        {
            _refreshTokens.TryRemove(refresh, out _);
        }

        if (_refreshTokens.TryRemove(token, out var pair))
        {
            _accessTokens.TryRemove(pair.AccessToken, out _);
        }
    }

    /// <summary>Revokes every token of a client, as an admin uninstalling the app would.</summary>
    public void RevokeClient(string clientId)
    {
        foreach (var (token, grant) in _accessTokens)
        {
            if (grant.ClientId == clientId)
            {
                _accessTokens.TryRemove(token, out _);
            }
        }

        foreach (var (token, owner) in _refreshTokens)
        {
            if (owner.ClientId == clientId)
            {
                _refreshTokens.TryRemove(token, out _);
            }
        }
    }

    /// <summary>The status the next REST request fails with, if one is queued.</summary>
    public int? NextApiFailure()
    {
        lock (_faultLock)
        {
            return _apiFailures.TryDequeue(out var status) ? status : null;
        }
    }

    /// <summary>The grant behind a live access token.</summary>
    public TokenGrant? Authenticate(string? accessToken) =>
        accessToken is not null && _accessTokens.TryGetValue(accessToken, out var grant) && grant.ExpiresAt > time.GetUtcNow() ? grant : null;

    /// <summary>Records the <c>Procore-Company-Id</c> header of an API call.</summary>
    public void RecordCompanyHeader(string value) => _lastCompanyHeader = value;

    /// <summary>
    /// Counts an API call against the token's hourly and 10-second spike limits and reports the
    /// nearer one, as Procore does: the limit, what is left of it, and when it resets.
    /// </summary>
    public RateLimitReport CountApiCall(string accessToken)
    {
        Interlocked.Increment(ref _api);
        var now = time.GetUtcNow();
        var faults = Faults;
        var windows = _apiCalls.GetOrAdd(accessToken, _ => new RateWindows());
        lock (windows)
        {
            var hour = windows.Hour.Count(now, TimeSpan.FromHours(1));
            var spike = windows.Spike.Count(now, TimeSpan.FromSeconds(10));
            var hourLeft = faults.RateLimitPerHour - hour.Used;
            var spikeLeft = faults.SpikeLimitPer10Seconds - spike.Used;
            // The limit the app is likelier to exceed first: the one with fewer requests left.
            return hourLeft <= spikeLeft
                ? new RateLimitReport(faults.RateLimitPerHour, hourLeft, hour.ResetAt)
                : new RateLimitReport(faults.SpikeLimitPer10Seconds, spikeLeft, spike.ResetAt);
        }
    }

    private TokenOutcome Issue(string clientId, bool withRefreshToken, bool serviceAccount = false, string? grant = null)
    {
        var now = time.GetUtcNow();
        var access = NewToken();
        string? refresh = null;
        if (withRefreshToken)
        {
            refresh = NewToken();
            _refreshTokens[refresh] = (clientId, access, grant!);
        }

        _accessTokens[access] = new TokenGrant(clientId, now.AddSeconds(Faults.AccessTokenLifetimeSeconds), serviceAccount, refresh);

        var body = new Dictionary<string, object?>
        {
            ["access_token"] = access,
            ["token_type"] = "Bearer",
            ["expires_in"] = Faults.AccessTokenLifetimeSeconds,
            ["created_at"] = now.ToUnixTimeSeconds(),
        };
        if (refresh is not null)
        {
            body["refresh_token"] = refresh;
        }

        return new TokenOutcome(200, body);
    }

    private static TokenOutcome Error(string error, string description) =>
        new(400, new Dictionary<string, string> { ["error"] = error, ["error_description"] = description });

    private static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    /// <summary>The S256 code challenge of a verifier.</summary>
    public static string Challenge(string verifier) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    private sealed class RateWindows
    {
        public Window Hour { get; } = new();

        public Window Spike { get; } = new();
    }

    private sealed class Window
    {
        private DateTimeOffset _start;
        private int _used;

        public (int Used, DateTimeOffset ResetAt) Count(DateTimeOffset now, TimeSpan length)
        {
            if (now - _start >= length)
            {
                _start = now;
                _used = 0;
            }

            return (++_used, _start + length);
        }
    }
}

/// <summary>The rate limit Procore reports on a response: the nearer of its two limits.</summary>
public sealed record RateLimitReport(int Limit, int Remaining, DateTimeOffset ResetAt)
{
    /// <summary>True when this call went over the limit.</summary>
    public bool Over => Remaining < 0;
}
