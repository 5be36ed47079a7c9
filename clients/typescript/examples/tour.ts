// README's tour through the TypeScript client: a partner key, the webhook, an OAuth client, a
// workspace, a connect link, a person's sign-in (the browser's part, done with fetch and a cookie
// jar), a token and Procore's /me with it, the company's projects through the proxy, and the
// `connected` event. Run against a local service:
//   npm run build && node dist/examples/tour.js
// Each step prints one JSON line.
import { createProcoreConnectClient } from "../src/index.js";

const baseUrl = process.env.PROCORE_CONNECT_URL ?? "http://127.0.0.1:7071";
const simulatorUrl = process.env.PROCORE_SIMULATOR_URL ?? "http://127.0.0.1:7072";
const adminKey = process.env.PROCORE_CONNECT_ADMIN_KEY ?? "dev-admin-key";
const partnerId = process.env.TOUR_PARTNER ?? "my-platform";
const workspaceId = process.env.TOUR_WORKSPACE ?? "acme-hq";
const oauthClient = process.env.TOUR_OAUTH_CLIENT ?? "acme-app";

/** The answer's body, or an error naming the step and the problem the service answered with. */
function ok<T>(step: string, result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || result.data === undefined) {
    throw new Error(`${step}: HTTP ${result.response.status} ${JSON.stringify(result.error)}`);
  }
  return result.data;
}

function show(step: string, value: unknown): void {
  console.log(JSON.stringify({ step, value }));
}

// 1. A partner API key, created with the admin key; it is shown once.
const admin = createProcoreConnectClient({ baseUrl, apiKey: adminKey });
const { key } = ok("1. key", await admin.POST("/api/partners/{partnerId}/keys", {
  params: { path: { partnerId } },
  body: { name: "tour" },
}));
show("1. key", `${key.slice(0, 20)}…`);

const api = createProcoreConnectClient({ baseUrl, apiKey: key });

// 2. Where events go: locally the simulator stands in for the partner's webhook.
const webhook = ok("2. webhook", await api.PUT("/api/partner/webhook", {
  body: { url: `${simulatorUrl}/_simulator/partner-events` },
}));
show("2. webhook", webhook.url);

// 3. An OAuth client: the simulator's demo app.
const client = ok("3. oauth client", await api.PUT("/api/oauth-clients/{name}", {
  params: { path: { name: oauthClient } },
  body: { authFlow: "authorization_code", clientId: "demo-app", clientSecret: "demo-app-secret", displayName: "Acme sync" },
}));
show("3. oauth client", client.name);

// 4. A workspace on that client; it waits for a person to sign in.
const connection = ok("4. workspace", await api.PUT("/api/workspaces/{id}/connection", {
  params: { path: { id: workspaceId } },
  body: { companyId: 1001, environment: "sandbox", oauthClient, tags: { crm: "tour" } },
}));
show("4. workspace", connection.status);

// The partner finds it again by its tag: `tag.crm=tour` on the query.
const tagged = ok("4. by tag", await api.GET("/api/workspaces", {
  params: { query: { tag: { "tag.crm": "tour" } } },
}));
show("4. by tag", tagged.items.map(w => w.workspaceId));

// 5. A connect link for the person who will sign in.
const link = ok("5. connect link", await api.POST("/api/workspaces/{id}/connect-links", {
  params: { path: { id: workspaceId } },
}));
show("5. connect link", link.url);

// 6. The person signs in: what a browser does, with a cookie jar per origin.
const jar = new Map<string, Map<string, string>>();
async function browse(url: string, init: RequestInit = {}): Promise<Response> {
  const origin = new URL(url).origin;
  const cookies = jar.get(origin) ?? new Map<string, string>();
  const headers = new Headers(init.headers);
  if (cookies.size > 0) {
    headers.set("cookie", [...cookies].map(([name, value]) => `${name}=${value}`).join("; "));
  }
  const response = await fetch(url, { ...init, headers, redirect: "manual" });
  for (const cookie of response.headers.getSetCookie()) {
    const [pair] = cookie.split(";");
    const at = pair.indexOf("=");
    cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
  }
  jar.set(origin, cookies);
  if (response.status >= 400) {
    throw new Error(`6. sign-in: ${init.method ?? "GET"} ${url} answered ${response.status}: ${await response.text()}`);
  }
  return response;
}
function redirectOf(response: Response, from: string): string {
  const location = response.headers.get("location");
  if (location === null) {
    throw new Error(`6. sign-in: ${from} answered ${response.status} without a redirect`);
  }
  return new URL(location, from).href;
}

await browse(link.url);                                              // open the link
const form = { "content-type": "application/x-www-form-urlencoded" };
const signIn = redirectOf(await browse(link.url, { method: "POST", headers: form, body: "" }), link.url); // Connect
await browse(signIn);                                                // Procore's sign-in page
const signInUrl = new URL(signIn);
const allow = new URLSearchParams(signInUrl.search);
allow.set("decision", "allow");
const callback = redirectOf(
  await browse(signInUrl.origin + signInUrl.pathname, { method: "POST", headers: form, body: allow.toString() }),
  signIn);                                                           // Allow
const page = await (await browse(callback)).text();                  // back to the service
show("6. sign-in", page.match(/<h1>(.*?)<\/h1>/)?.[1] ?? page);

// 7. A token, and Procore's /me with it.
const token = ok("7. token", await api.GET("/api/workspaces/{id}/token", { params: { path: { id: workspaceId } } }));
const me = await fetch(`${token.apiBaseUrl}/rest/v1.0/me`, {
  headers: { authorization: `Bearer ${token.accessToken}`, "procore-company-id": String(token.companyId) },
});
if (!me.ok) {
  throw new Error(`7. token: Procore's /me answered ${me.status}`);
}
show("7. token", { companyId: token.companyId, apiBaseUrl: token.apiBaseUrl, me: await me.json() });

// 7. The same through the service's proxy, which adds the token and the company itself: `path` is
// Procore's, slashes and query as they are.
const viaProxy = await api.GET("/api/workspaces/{id}/procore/{path}", {
  params: { path: { id: workspaceId, path: "rest/v1.0/projects?company_id=1001" } },
  parseAs: "json",
});
if (!viaProxy.response.ok) {
  throw new Error(`7. proxy: ${viaProxy.response.url} answered ${viaProxy.response.status}: ${JSON.stringify(viaProxy.error)}`);
}
show("7. proxy", { url: new URL(viaProxy.response.url).pathname, projects: (viaProxy.data as unknown as { id: number }[]).map(p => p.id) });

// 8. The event the sign-in sent.
const events = ok("8. events", await api.GET("/api/partner/events"));
show("8. events", events.items.map(e => ({ type: e.type, workspaceId: e.workspaceId, status: e.status })));
