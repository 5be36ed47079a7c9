// The TypeScript client of the Procore Connect API. Its types (./generated/openapi.ts) are generated
// from the service's OpenAPI document by scripts/generate-clients.sh; openapi-fetch makes the calls.
import createClient, { type Client, type ClientOptions } from "openapi-fetch";
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

/** A client that calls the service at `baseUrl` with `apiKey`. */
export function createProcoreConnectClient({ baseUrl, apiKey, headers, ...options }: ProcoreConnectClientOptions): ProcoreConnectClient {
  return createClient<paths>({
    // The tag filter is a form-exploded object: { "tag.crm": "x" } goes on the query as tag.crm=x.
    querySerializer: { object: { style: "form", explode: true } },
    ...options,
    baseUrl: baseUrl.replace(/\/+$/, ""),
    headers: { ...headers, "X-Api-Key": apiKey },
  });
}
