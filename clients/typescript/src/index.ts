// The TypeScript client of the Procore Connect API. Its types (./generated/openapi.ts) are generated
// from the service's OpenAPI document by scripts/generate-clients.sh; openapi-fetch makes the calls.
import createClient, { defaultPathSerializer, type Client, type ClientOptions } from "openapi-fetch";
import type { components, operations, paths } from "./generated/openapi.js";

export type { components, operations, paths };

/** The API's schemas by name, e.g. `Schemas["TokenResponse"]`. */
export type Schemas = components["schemas"];

/** A client of the API: `client.GET("/api/workspaces/{id}/token", { params: { path: { id } } })`. */
export type ProcoreConnectClient = Client<paths>;

/** Where the service is and which key to call it with; openapi-fetch's other options pass through. */
export interface ProcoreConnectClientOptions extends Omit<ClientOptions, "baseUrl"> {
  /** The deployment's base URL, without `/api`: e.g. `https://connect.example.com`. */
  baseUrl: string;
  /** A partner's (or the admin's) API key, sent as `X-Api-Key`. */
  apiKey: string;
}

/** The pass-through's route, whose `path` is Procore's path, slashes and all. */
const passThrough = "/api/workspaces/{id}/procore/{path}";

/**
 * openapi-fetch's path serializer, except for the pass-through's `path`: each of its segments is
 * encoded, the slashes between them are not (the service refuses `%2F`), and a query after `?` is
 * sent as written, as Kiota's reserved expansion does for the C# client.
 */
export function serializePath(pathname: string, pathParams: Record<string, unknown>): string {
  const procorePath = pathParams?.path;
  // openapi-fetch passes the base URL and the schema's path together.
  if (!pathname.endsWith(passThrough) || typeof procorePath !== "string") {
    return defaultPathSerializer(pathname, pathParams);
  }
  const at = procorePath.indexOf("?");
  const [path, query] = at < 0 ? [procorePath, ""] : [procorePath.slice(0, at), procorePath.slice(at)];
  const segments = path.replace(/^\/+/, "").split("/").map(encodeURIComponent).join("/");
  // Without a value for `path`, openapi-fetch leaves `{path}` in place for it.
  const { path: _, ...others } = pathParams;
  return defaultPathSerializer(pathname, others).replace("{path}", segments + query);
}

/** A client that calls the service at `baseUrl` with `apiKey`. */
export function createProcoreConnectClient({ baseUrl, apiKey, headers, ...options }: ProcoreConnectClientOptions): ProcoreConnectClient {
  return createClient<paths>({
    // The tag filter is a form-exploded object: { "tag.crm": "x" } goes on the query as tag.crm=x.
    querySerializer: { object: { style: "form", explode: true } },
    pathSerializer: serializePath,
    ...options,
    baseUrl: baseUrl.replace(/\/+$/, ""),
    headers: { ...headers, "X-Api-Key": apiKey },
  });
}
