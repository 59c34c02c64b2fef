/**
 * A small client of the Kubernetes API, enough for the local API server's users (scripts and tests): requests with
 * a bearer token over TLS, resource paths from discovery, and server-side apply with strict field validation.
 */
import * as fs from "node:fs";
import * as https from "node:https";
import { parse } from "yaml";

export interface ApiResponse {
  status: number;
  body: string;
}

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  [field: string]: unknown;
}

interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

export interface ApplyOptions {
  /** The field manager recorded for the applied fields (default "amb-cce-connect"). */
  fieldManager?: string;
  /** Validate and admit, but store nothing. */
  dryRun?: boolean;
}

/** An API error as one line: the request, the status and the server's message. */
export class KubeApiError extends Error {
  constructor(
    readonly request: string,
    readonly status: number,
    body: string,
  ) {
    let message = body;
    try {
      message = (JSON.parse(body) as { message?: string }).message ?? body;
    } catch {
      // not a Status object: keep the text
    }
    super(`${request}: HTTP ${status}: ${message}`);
  }
}

/** The URL path of an API group version: `/api/v1` for the core group, `/apis/<group>/<version>` otherwise. */
function apiPath(apiVersion: string): string {
  return apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

export class KubeApi {
  private readonly discovery = new Map<string, Promise<ApiResource[]>>();

  constructor(
    readonly url: string,
    private readonly token: string,
    private readonly ca: string,
  ) {}

  request(
    method: string,
    path: string,
    body?: string,
    contentType = "application/json",
  ): Promise<ApiResponse> {
    return new Promise((resolve, reject) => {
      const request = https.request(
        new URL(path, this.url),
        {
          method,
          ca: this.ca,
          headers: {
            authorization: `Bearer ${this.token}`,
            accept: "application/json",
            ...(body === undefined ? {} : { "content-type": contentType }),
          },
        },
        (response) => {
          let text = "";
          response.setEncoding("utf8");
          response.on("data", (chunk) => (text += chunk));
          response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text }));
        },
      );
      request.on("error", reject);
      request.end(body);
    });
  }

  /** The JSON body of a successful request; otherwise a KubeApiError naming the request. */
  async json<T = unknown>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
    const response = await this.request(
      method,
      path,
      body === undefined ? undefined : JSON.stringify(body),
      contentType,
    );
    if (response.status < 200 || response.status > 299)
      throw new KubeApiError(`${method} ${path}`, response.status, response.body);
    return JSON.parse(response.body) as T;
  }

  private resources(apiVersion: string): Promise<ApiResource[]> {
    let found = this.discovery.get(apiVersion);
    if (found === undefined) {
      found = this.json<{ resources: ApiResource[] }>("GET", apiPath(apiVersion)).then(
        (list) => list.resources,
      );
      this.discovery.set(apiVersion, found);
      found.catch(() => this.discovery.delete(apiVersion));
    }
    return found;
  }

  /** The URL path of an object (from discovery, so custom resources work once their CRD is established). */
  async pathOf(manifest: Pick<Manifest, "apiVersion" | "kind" | "metadata">): Promise<string> {
    const { apiVersion, kind, metadata } = manifest;
    const resource = (await this.resources(apiVersion)).find(
      (candidate) => candidate.kind === kind && !candidate.name.includes("/"),
    );
    if (resource === undefined) throw new Error(`the API server does not serve ${kind} in ${apiVersion}`);
    const prefix = apiPath(apiVersion);
    if (!resource.namespaced) return `${prefix}/${resource.name}/${metadata.name}`;
    if (!metadata.namespace)
      throw new Error(`${kind} ${metadata.name} is namespaced but has no metadata.namespace`);
    return `${prefix}/namespaces/${metadata.namespace}/${resource.name}/${metadata.name}`;
  }

  /** Server-side apply with `fieldValidation=Strict`: an unknown or duplicate field is refused, not dropped. */
  async apply<T = Manifest>(manifest: Manifest, options: ApplyOptions = {}): Promise<T> {
    const query = new URLSearchParams({
      fieldManager: options.fieldManager ?? "amb-cce-connect",
      fieldValidation: "Strict",
      force: "true",
      ...(options.dryRun ? { dryRun: "All" } : {}),
    });
    return this.json<T>(
      "PATCH",
      `${await this.pathOf(manifest)}?${query}`,
      manifest,
      "application/apply-patch+yaml",
    );
  }

  /** The names of the objects of one resource (`plural`, e.g. "deployments") in a namespace, sorted. */
  async names(apiVersion: string, plural: string, namespace: string): Promise<string[]> {
    const list = await this.json<{ items: Array<{ metadata: { name: string } }> }>(
      "GET",
      `${apiPath(apiVersion)}/namespaces/${namespace}/${plural}`,
    );
    return list.items.map((item) => item.metadata.name).sort();
  }

  async get<T = Manifest>(manifest: Pick<Manifest, "apiVersion" | "kind" | "metadata">): Promise<T> {
    return this.json<T>("GET", await this.pathOf(manifest));
  }

  /** A JSON merge patch, as `kubectl edit` or `kubectl patch --type merge` would make (field manager "kubectl-edit"). */
  async mergePatch<T = Manifest>(
    manifest: Pick<Manifest, "apiVersion" | "kind" | "metadata">,
    patch: object,
  ): Promise<T> {
    return this.json<T>(
      "PATCH",
      `${await this.pathOf(manifest)}?fieldManager=kubectl-edit`,
      patch,
      "application/merge-patch+json",
    );
  }

  /** Installs a CustomResourceDefinition by server-side apply and waits until its API is served. */
  async installCrd(crd: Manifest, timeoutMs = 60_000): Promise<void> {
    await this.apply(crd);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const live = await this.get<{ status?: { conditions?: Array<{ type: string; status: string }> } }>(crd);
      if (
        live.status?.conditions?.some(
          (condition) => condition.type === "Established" && condition.status === "True",
        )
      )
        break;
      if (Date.now() > deadline)
        throw new Error(`CRD ${crd.metadata.name} was not Established within ${timeoutMs / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    for (const version of (crd.spec as { group: string; versions: Array<{ name: string }> }).versions)
      this.discovery.delete(`${(crd.spec as { group: string }).group}/${version.name}`);
  }
}

/** A client for the current context of a kubeconfig that uses a bearer token (as the local API server's does). */
export function kubeApiFromKubeconfig(kubeconfigPath: string): KubeApi {
  const config = parse(fs.readFileSync(kubeconfigPath, "utf8")) as {
    "current-context": string;
    contexts: Array<{ name: string; context: { cluster: string; user: string } }>;
    clusters: Array<{ name: string; cluster: { server: string; "certificate-authority-data": string } }>;
    users: Array<{ name: string; user: { token?: string } }>;
  };
  const context = config.contexts.find((entry) => entry.name === config["current-context"])?.context;
  const cluster = config.clusters.find((entry) => entry.name === context?.cluster)?.cluster;
  const token = config.users.find((entry) => entry.name === context?.user)?.user.token;
  if (cluster === undefined || token === undefined)
    throw new Error(`${kubeconfigPath}: its current context has no cluster or no token user`);
  return new KubeApi(
    cluster.server,
    token,
    Buffer.from(cluster["certificate-authority-data"], "base64").toString("utf8"),
  );
}
