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
    private readonly ConcurrentDictionary<string, string> _refreshTokens = new();
    private readonly ConcurrentDictionary<string, int> _apiCalls = new();
    private readonly ConcurrentDictionary<string, int> _inFlightRefreshes = new();
    private readonly Lock _faultLock = new();
    private readonly Queue<int> _tokenFailures = new();
    private string? _lastCompanyHeader;
    private int _authorizationCodeGrants, _refreshGrants, _clientCredentialGrants, _failed, _reuses, _api, _maxConcurrent;

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
        _authorizationCodeGrants = _refreshGrants = _clientCredentialGrants = _failed = _reuses = _api = _maxConcurrent = 0;
        _lastCompanyHeader = null;
    }

    /// <summary>The counters.</summary>
    public SimulatorStats Stats() => new(
        _authorizationCodeGrants, _refreshGrants, _clientCredentialGrants, _failed, _reuses, _api, _maxConcurrent, _lastCompanyHeader);

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
        return Issue(client.ClientId, withRefreshToken: true);
    }

    /// <summary>Rotates a refresh token: the old one dies, a new one is returned.</summary>
    public TokenOutcome Refresh(SimulatedClient client, string? refreshToken)
    {
        if (refreshToken is null)
        {
            return Error("invalid_request", "refresh_token is required.");
        }

        var concurrent = _inFlightRefreshes.AddOrUpdate(client.ClientId, 1, (_, n) => n + 1);
        try
        {
            InterlockedMax(ref _maxConcurrent, concurrent);
            if (!_refreshTokens.TryRemove(refreshToken, out var owner))
            {
                Interlocked.Increment(ref _reuses);
                return Error("invalid_grant", "The refresh token is invalid, expired, revoked, or was already used.");
            }

            if (owner != client.ClientId)
            {
                return Error("invalid_grant", "The refresh token was issued to another client.");
            }

            Interlocked.Increment(ref _refreshGrants);
            return Issue(client.ClientId, withRefreshToken: true);
        }
        finally
        {
            _inFlightRefreshes.AddOrUpdate(client.ClientId, 0, (_, n) => n - 1);
        }
    }

    /// <summary>Client credentials: an access token and no refresh token.</summary>
    public TokenOutcome ClientCredentials(SimulatedClient client)
    {
        Interlocked.Increment(ref _clientCredentialGrants);
        return Issue(client.ClientId, withRefreshToken: false);
    }

    /// <summary>Revokes one token (access or refresh).</summary>
    public void Revoke(string token)
    {
        _accessTokens.TryRemove(token, out _);
        _refreshTokens.TryRemove(token, out _);
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
            if (owner == clientId)
            {
                _refreshTokens.TryRemove(token, out _);
            }
        }
    }

    /// <summary>The grant behind a live access token.</summary>
    public TokenGrant? Authenticate(string? accessToken) =>
        accessToken is not null && _accessTokens.TryGetValue(accessToken, out var grant) && grant.ExpiresAt > time.GetUtcNow() ? grant : null;

    /// <summary>Records the <c>Procore-Company-Id</c> header of an API call.</summary>
    public void RecordCompanyHeader(string value) => _lastCompanyHeader = value;

    /// <summary>Counts an API call against the token's hourly limit; the calls left, or -1 when over.</summary>
    public int CountApiCall(string accessToken)
    {
        Interlocked.Increment(ref _api);
        var used = _apiCalls.AddOrUpdate(accessToken, 1, (_, n) => n + 1);
        return used > Faults.RateLimitPerHour ? -1 : Faults.RateLimitPerHour - used;
    }

    private TokenOutcome Issue(string clientId, bool withRefreshToken)
    {
        var now = time.GetUtcNow();
        var access = NewToken();
        _accessTokens[access] = new TokenGrant(clientId, now.AddSeconds(Faults.AccessTokenLifetimeSeconds));
        string? refresh = null;
        if (withRefreshToken)
        {
            refresh = NewToken();
            _refreshTokens[refresh] = clientId;
        }

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
}
