/**
 * The typed Webex Connect client the Pulumi dynamic providers use: a factory returning an object of async
 * functions, one per operation, over one transport (transport.ts: retries, validation, typed errors).
 */
import { randomUUID } from "node:crypto";
import { ambRegistrationInstructions } from "../lib/appleRegistration";
import { NotFoundError } from "./errors";
import { collectAll, findFirst, paginate } from "./pagination";
import {
  createWithSearchGuard,
  backoffDelayMs,
  DEFAULT_RETRY_POLICY,
  type GuardedCreateResult,
  type RetryPolicy,
} from "./retry";
import { isRegion, REGIONS } from "../lib/facts";
import type { RouteName } from "./routes";
import type { BaseUrlOptions } from "./urls";
import {
  MAX_PAGE_SIZE,
  DEFAULT_PAGE_SIZE,
  type AmbAsset,
  type AmbAssetWithSettings,
  type DataStreamSetting,
  type EngageRegistration,
  type Flow,
  type FlowDefinition,
  type FlowSummary,
  type FlowVersion,
  type FlowVersionSummary,
  type Page,
  type PublishResult,
  type Service,
  type ServiceCredentials,
} from "./schemas";
import type { WebexCredential } from "./credentials";
import { createTransport, systemClock, type CallScope, type Clock, type Logger } from "./transport";

export interface WebexConnectClientOptions extends BaseUrlOptions {
  /** A static bearer token (a personal access token lasts 12 hours). Give this or `credential`. Never logged. */
  token?: string;
  /** A static token or a renewing credential (OAuth refresh-token grant), see credentials.ts. Never logged. */
  credential?: WebexCredential;
  /** Lines an operator should act on, e.g. a refresh token about to expire; never contains a secret. */
  notice?: (message: string) => void;
  organizationId: string;
  retry?: Partial<RetryPolicy>;
  /** Total time budget of one logical call, retries included. */
  deadlineMs?: number;
  /** Time budget of one HTTP attempt. */
  requestTimeoutMs?: number;
  /** Items per page for list calls (1–100). */
  pageSize?: number;
  logger?: Logger;
  /** Injected time, sleep and randomness, for tests. */
  clock?: Partial<Clock>;
  newTrackingId?: () => string;
}

export interface ListOptions {
  pageSize?: number;
}
export interface NamedListOptions extends ListOptions {
  /** Exact name to filter by. */
  name?: string;
}

const DEFAULT_DEADLINE_MS = 60_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;

const blank = (value: unknown) => typeof value !== "string" || value.trim() === "";

function credentialProblems(options: WebexConnectClientOptions): string[] {
  const { token, credential } = options;
  if (token !== undefined && credential !== undefined) return ["pass either token or credential, not both"];
  if (credential === undefined || credential.kind === "token") {
    return blank(token ?? credential?.token)
      ? [
          "token is empty: pass a Webex access token, or a renewing credential " +
            '({ kind: "refreshToken", clientId, clientSecret, refreshToken })',
        ]
      : [];
  }
  return (["clientId", "clientSecret", "refreshToken"] as const)
    .filter((field) => blank(credential[field]))
    .map(
      (field) =>
        `credential.${field} is empty: the renewing credential needs client id, secret and refresh token`,
    );
}

/** The credential the options give: `credential`, or `token` as a static one. */
function credentialOf(options: WebexConnectClientOptions): WebexCredential {
  return options.credential ?? { kind: "token", token: options.token! };
}

function checkOptions(options: WebexConnectClientOptions): void {
  const problems: string[] = credentialProblems(options);
  if (typeof options.organizationId !== "string" || options.organizationId.trim() === "")
    problems.push(
      "organizationId is empty: pass the Webex Connect organization ID (sent as x-organization-id)",
    );
  if (options.region !== undefined && !isRegion(options.region))
    problems.push(`region ${JSON.stringify(options.region)} is unknown: use one of ${REGIONS.join(", ")}`);
  if (!options.region && !options.baseUrl)
    problems.push(`set region (one of ${REGIONS.join(", ")}) or baseUrl`);
  for (const url of [options.baseUrl, options.modeledBaseUrl])
    if (url !== undefined && !/^https?:\/\/[^/\s]+/.test(url))
      problems.push(`base URL ${JSON.stringify(url)} is not an http(s) URL`);
  for (const name of ["deadlineMs", "requestTimeoutMs"] as const) {
    const value = options[name];
    if (value !== undefined && !(Number.isFinite(value) && value > 0))
      problems.push(`${name} ${value} is not a positive number of milliseconds`);
  }
  const pageSize = options.pageSize;
  if (pageSize !== undefined && !(Number.isInteger(pageSize) && pageSize >= 1 && pageSize <= MAX_PAGE_SIZE))
    problems.push(`pageSize ${pageSize} is out of range: use an integer from 1 to ${MAX_PAGE_SIZE}`);
  if (problems.length > 0) throw new Error(`Invalid Webex Connect client options: ${problems.join("; ")}.`);
}

export function createWebexConnectClient(options: WebexConnectClientOptions) {
  checkOptions(options);
  const clock: Clock = { ...systemClock, ...options.clock };
  const retry: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const organizationId = options.organizationId;
  const transport = createTransport({
    credential: credentialOf(options),
    notice: options.notice,
    organizationId,
    baseUrls: { region: options.region, baseUrl: options.baseUrl, modeledBaseUrl: options.modeledBaseUrl },
    retry,
    deadlineMs: options.deadlineMs ?? DEFAULT_DEADLINE_MS,
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    logger: options.logger,
    clock,
    newTrackingId: options.newTrackingId ?? (() => `amb-cce_${randomUUID()}`),
    secrets: new Set(),
  });
  const { call } = transport;
  const defaultPageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;

  const pause = (retryNumber: number) => clock.sleep(backoffDelayMs(retryNumber, retry, clock.random));

  function pages<T>(fetchPage: (page: number, pageSize: number) => Promise<Page<T>>, list: ListOptions = {}) {
    const pageSize = list.pageSize ?? defaultPageSize;
    return paginate((page) => fetchPage(page, pageSize));
  }

  function notFound(route: RouteName, scope: CallScope, subject: string, hint: string): NotFoundError {
    return new NotFoundError(transport.context(route, scope), subject, organizationId, hint);
  }

  const assetSubject = (assetId: string) => `AMB asset ${assetId}`;
  const serviceSubject = (serviceId: string) => `Service ${serviceId}`;
  const flowSubject = (serviceId: string, flowId: string) => `Flow ${flowId} in service ${serviceId}`;

  // AMB assets: documented asset API.

  function iterateAmbAssets(
    list?: ListOptions,
    scope?: CallScope,
  ): AsyncGenerator<AmbAsset, void, undefined> {
    return pages(
      (page, pageSize) => call("asset.list", { query: { page, pageSize }, subject: "AMB assets", scope }),
      list,
    );
  }

  async function findAmbAssetByAppId(appId: string, scope?: CallScope): Promise<AmbAsset | undefined> {
    return findFirst(iterateAmbAssets({}, scope), (asset) => asset.appId === appId);
  }

  async function getAmbAssetByAppId(appId: string): Promise<AmbAsset> {
    const scope = transport.newScope();
    const asset = await findAmbAssetByAppId(appId, scope);
    if (asset) return asset;
    throw notFound(
      "asset.list",
      scope,
      `AMB asset with App ID ${appId}`,
      `Check the App ID under Assets > Apps in Webex Connect. ${ambRegistrationInstructions()}`,
    );
  }

  // Services (modeled).

  function iterateServices(list: NamedListOptions = {}, scope?: CallScope) {
    return pages(
      (page, pageSize) =>
        call("service.list", { query: { page, pageSize, name: list.name }, subject: "Services", scope }),
      list,
    );
  }

  async function findServiceByName(name: string, scope?: CallScope): Promise<Service | undefined> {
    return findFirst(iterateServices({ name }, scope), (candidate) => candidate.name === name);
  }

  // Flows (modeled).

  function iterateFlows(serviceId: string, list: NamedListOptions = {}, scope?: CallScope) {
    return pages(
      (page, pageSize) =>
        call("flow.list", {
          params: { serviceId },
          query: { page, pageSize, name: list.name },
          subject: serviceSubject(serviceId),
          scope,
        }),
      list,
    );
  }

  async function findFlowByName(
    serviceId: string,
    name: string,
    scope?: CallScope,
  ): Promise<FlowSummary | undefined> {
    return findFirst(iterateFlows(serviceId, { name }, scope), (candidate) => candidate.name === name);
  }

  function getFlow(serviceId: string, flowId: string, scope?: CallScope): Promise<Flow> {
    return call("flow.get", {
      params: { serviceId, flowId },
      subject: flowSubject(serviceId, flowId),
      scope,
    });
  }

  function iterateFlowVersions(serviceId: string, flowId: string, list?: ListOptions) {
    return pages(
      (page, pageSize) =>
        call("flow.listVersions", {
          params: { serviceId, flowId },
          query: { page, pageSize },
          subject: flowSubject(serviceId, flowId),
        }),
      list,
    );
  }

  return {
    organizationId,

    /** Always refused for AMB: the error says how to register the asset at Apple instead. */
    createAmbAsset(input: { name: string }): Promise<AmbAsset> {
      return call("asset.create", { body: input, subject: "AMB asset channel" });
    },
    iterateAmbAssets: (list?: ListOptions) => iterateAmbAssets(list),
    listAmbAssets: (list?: ListOptions): Promise<AmbAsset[]> => collectAll(iterateAmbAssets(list)),
    getAmbAsset(assetId: string): Promise<AmbAsset> {
      return call("asset.get", { params: { assetId }, subject: assetSubject(assetId) });
    },
    /** The asset with its Webex Engage registration and Data Stream toggle, in one request (a modeled route). */
    getAmbAssetWithSettings(assetId: string): Promise<AmbAssetWithSettings> {
      return call("asset.getWithSettings", { params: { assetId }, subject: assetSubject(assetId) });
    },
    findAmbAssetByAppId: (appId: string) => findAmbAssetByAppId(appId),
    /** Like findAmbAssetByAppId, but a missing asset is a NotFoundError that explains Apple registration. */
    getAmbAssetByAppId,
    updateAmbAsset(assetId: string, fields: { name: string; description: string }): Promise<AmbAsset> {
      return call("asset.update", { params: { assetId }, body: fields, subject: assetSubject(assetId) });
    },
    async deleteAmbAsset(assetId: string): Promise<void> {
      await call("asset.delete", { params: { assetId }, subject: assetSubject(assetId) });
    },

    getEngageRegistration(assetId: string): Promise<EngageRegistration> {
      return call("engage.get", { params: { assetId }, subject: assetSubject(assetId) });
    },
    registerToEngage(assetId: string, serviceId: string): Promise<EngageRegistration> {
      return call("engage.register", {
        params: { assetId },
        body: { serviceId },
        subject: assetSubject(assetId),
      });
    },
    unregisterFromEngage(assetId: string): Promise<EngageRegistration> {
      return call("engage.unregister", { params: { assetId }, subject: assetSubject(assetId) });
    },

    getDataStream(assetId: string): Promise<DataStreamSetting> {
      return call("dataStream.get", { params: { assetId }, subject: assetSubject(assetId) });
    },
    setDataStream(assetId: string, enabled: boolean): Promise<DataStreamSetting> {
      return call("dataStream.set", {
        params: { assetId },
        body: { enabled },
        subject: assetSubject(assetId),
      });
    },

    /** Search-before-create by name: adopts a service of that name, and never creates a duplicate on retry. */
    createService(input: { name: string; description?: string }): Promise<GuardedCreateResult<Service>> {
      const scope = transport.newScope();
      return createWithSearchGuard({
        findExisting: () => findServiceByName(input.name, scope),
        create: () => call("service.create", { body: input, subject: "Services", scope }),
        maxAttempts: retry.maxAttempts,
        pause,
      });
    },
    findServiceByName: (name: string) => findServiceByName(name),
    iterateServices: (list?: NamedListOptions) => iterateServices(list),
    listServices: (list?: NamedListOptions): Promise<Service[]> => collectAll(iterateServices(list)),
    getService(serviceId: string): Promise<Service> {
      return call("service.get", { params: { serviceId }, subject: serviceSubject(serviceId) });
    },
    updateService(serviceId: string, fields: { name: string; description: string }): Promise<Service> {
      return call("service.update", {
        params: { serviceId },
        body: fields,
        subject: serviceSubject(serviceId),
      });
    },
    async deleteService(serviceId: string): Promise<void> {
      await call("service.delete", { params: { serviceId }, subject: serviceSubject(serviceId) });
    },
    /** The service key and JWT secret; both are scrubbed from this client's errors and logs from now on. */
    async getServiceCredentials(serviceId: string): Promise<ServiceCredentials> {
      const credentials = await call("service.credentials", {
        params: { serviceId },
        subject: serviceSubject(serviceId),
      });
      transport.addSecrets(credentials.serviceKey, credentials.jwtSecret);
      return credentials;
    },

    /** Search-before-create by name within the service: adopts a flow of that name, never duplicates on retry. */
    importFlow(
      serviceId: string,
      input: { name: string; definition: FlowDefinition },
    ): Promise<GuardedCreateResult<Flow>> {
      const scope = transport.newScope();
      return createWithSearchGuard({
        findExisting: async () => {
          const found = await findFlowByName(serviceId, input.name, scope);
          return found && getFlow(serviceId, found.id, scope);
        },
        create: () =>
          call("flow.import", {
            params: { serviceId },
            body: input,
            subject: serviceSubject(serviceId),
            scope,
          }),
        maxAttempts: retry.maxAttempts,
        pause,
      });
    },
    findFlowByName: (serviceId: string, name: string) => findFlowByName(serviceId, name),
    iterateFlows: (serviceId: string, list?: NamedListOptions) => iterateFlows(serviceId, list),
    listFlows: (serviceId: string, list?: NamedListOptions): Promise<FlowSummary[]> =>
      collectAll(iterateFlows(serviceId, list)),
    getFlow: (serviceId: string, flowId: string) => getFlow(serviceId, flowId),
    saveFlowDraft(serviceId: string, flowId: string, definition: FlowDefinition): Promise<Flow> {
      return call("flow.saveDraft", {
        params: { serviceId, flowId },
        body: { definition },
        subject: flowSubject(serviceId, flowId),
      });
    },
    renameFlow(serviceId: string, flowId: string, name: string): Promise<Flow> {
      return call("flow.rename", {
        params: { serviceId, flowId },
        body: { name },
        subject: flowSubject(serviceId, flowId),
      });
    },
    /**
     * Makes the draft live as a new immutable version bound to the asset. Publishing is not idempotent,
     * so after an unanswered attempt the flow is read again: a new live version on this asset means it worked.
     */
    async publishFlow(serviceId: string, flowId: string, assetId: string): Promise<PublishResult> {
      const scope = transport.newScope();
      let baseline: { liveVersionId: string | null } | undefined;
      const { value } = await createWithSearchGuard<PublishResult>({
        findExisting: async () => {
          const current = await getFlow(serviceId, flowId, scope);
          if (baseline === undefined) {
            baseline = { liveVersionId: current.liveVersionId };
            return undefined;
          }
          const published =
            current.status === "live" &&
            current.boundAssetId === assetId &&
            current.liveVersionId !== baseline.liveVersionId;
          return published && current.liveVersionId
            ? { versionId: current.liveVersionId, flow: current }
            : undefined;
        },
        create: () =>
          call("flow.publish", {
            params: { serviceId, flowId },
            body: { assetId },
            subject: flowSubject(serviceId, flowId),
            scope,
          }),
        maxAttempts: retry.maxAttempts,
        pause,
      });
      return value;
    },
    deactivateFlow(serviceId: string, flowId: string): Promise<Flow> {
      return call("flow.deactivate", {
        params: { serviceId, flowId },
        subject: flowSubject(serviceId, flowId),
      });
    },
    async deleteFlow(serviceId: string, flowId: string): Promise<void> {
      await call("flow.delete", { params: { serviceId, flowId }, subject: flowSubject(serviceId, flowId) });
    },
    iterateFlowVersions: (serviceId: string, flowId: string, list?: ListOptions) =>
      iterateFlowVersions(serviceId, flowId, list),
    listFlowVersions: (
      serviceId: string,
      flowId: string,
      list?: ListOptions,
    ): Promise<FlowVersionSummary[]> => collectAll(iterateFlowVersions(serviceId, flowId, list)),
    getFlowVersion(serviceId: string, flowId: string, versionId: string): Promise<FlowVersion> {
      return call("flow.getVersion", {
        params: { serviceId, flowId, versionId },
        subject: `Version ${versionId} of flow ${flowId} in service ${serviceId}`,
      });
    },
  };
}

export type WebexConnectClient = ReturnType<typeof createWebexConnectClient>;
