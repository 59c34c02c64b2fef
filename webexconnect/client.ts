/**
 * The typed Webex Connect client the Pulumi dynamic providers and ops use: one async function per operation, on one
 * connection (connection.ts: options, transport, paging). Calls only the tests make live in the tests
 * (test/webexconnect/testOnlyCalls.ts).
 */
import { ambRegistrationInstructions } from "../lib/appleRegistration";
import {
  openConnection,
  type Connection,
  type ListOptions,
  type NamedListOptions,
  type WebexConnectClientOptions,
} from "./connection";
import {
  assetSubject,
  findAmbAssetByAppId,
  findFlowByName,
  findServiceByName,
  flowSubject,
  getFlow,
  iterateAmbAssets,
  iterateFlows,
  serviceSubject,
} from "./lookups";
import { collectAll } from "./pagination";
import { createWithSearchGuard, type GuardedCreateResult } from "./retry";
import type {
  AmbAsset,
  AmbAssetWithSettings,
  DataStreamSetting,
  EngageRegistration,
  Flow,
  FlowDefinition,
  FlowSummary,
  FlowVersion,
  PublishResult,
  Service,
  ServiceCredentials,
} from "./schemas";

export function createWebexConnectClient(options: WebexConnectClientOptions) {
  return clientOn(openConnection(options));
}

/** The client's operations on a connection. */
export function clientOn(connection: Connection) {
  const { call, organizationId, retry, pause } = connection;
  return {
    organizationId,

    // AMB assets: documented asset API (their Engage registration and Data Stream: modeled).

    listAmbAssets: (list?: ListOptions): Promise<AmbAsset[]> =>
      collectAll(iterateAmbAssets(connection, list)),
    getAmbAsset(assetId: string): Promise<AmbAsset> {
      return call("asset.get", { params: { assetId }, subject: assetSubject(assetId) });
    },
    /** The asset with its Webex Engage registration and Data Stream toggle, in one request (a modeled route). */
    getAmbAssetWithSettings(assetId: string): Promise<AmbAssetWithSettings> {
      return call("asset.getWithSettings", { params: { assetId }, subject: assetSubject(assetId) });
    },
    findAmbAssetByAppId: (appId: string): Promise<AmbAsset | undefined> =>
      findAmbAssetByAppId(connection, appId),
    /** Like findAmbAssetByAppId, but a missing asset is a NotFoundError that explains Apple registration. */
    async getAmbAssetByAppId(appId: string): Promise<AmbAsset> {
      const scope = connection.newScope();
      const asset = await findAmbAssetByAppId(connection, appId, scope);
      if (asset) return asset;
      throw connection.notFound(
        "asset.list",
        scope,
        `AMB asset with App ID ${appId}`,
        `Check the App ID under Assets > Apps in Webex Connect. ${ambRegistrationInstructions()}`,
      );
    },
    updateAmbAsset(assetId: string, fields: { name: string; description: string }): Promise<AmbAsset> {
      return call("asset.update", { params: { assetId }, body: fields, subject: assetSubject(assetId) });
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

    // Services (modeled).

    /** Search-before-create by name: adopts a service of that name, and never creates a duplicate on retry. */
    createService(input: { name: string; description?: string }): Promise<GuardedCreateResult<Service>> {
      const scope = connection.newScope();
      return createWithSearchGuard({
        findExisting: () => findServiceByName(connection, input.name, scope),
        create: () => call("service.create", { body: input, subject: "Services", scope }),
        maxAttempts: retry.maxAttempts,
        pause,
      });
    },
    findServiceByName: (name: string): Promise<Service | undefined> => findServiceByName(connection, name),
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
      connection.addSecrets(credentials.serviceKey, credentials.jwtSecret);
      return credentials;
    },

    // Flows (modeled).

    /** Search-before-create by name within the service: adopts a flow of that name, never duplicates on retry. */
    importFlow(
      serviceId: string,
      input: { name: string; definition: FlowDefinition },
    ): Promise<GuardedCreateResult<Flow>> {
      const scope = connection.newScope();
      return createWithSearchGuard({
        findExisting: async () => {
          const found = await findFlowByName(connection, serviceId, input.name, scope);
          return found && getFlow(connection, serviceId, found.id, scope);
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
    listFlows: (serviceId: string, list?: NamedListOptions): Promise<FlowSummary[]> =>
      collectAll(iterateFlows(connection, serviceId, list)),
    getFlow: (serviceId: string, flowId: string) => getFlow(connection, serviceId, flowId),
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
      const scope = connection.newScope();
      let baseline: { liveVersionId: string | null } | undefined;
      const { value } = await createWithSearchGuard<PublishResult>({
        findExisting: async () => {
          const current = await getFlow(connection, serviceId, flowId, scope);
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
    getFlowVersion(serviceId: string, flowId: string, versionId: string): Promise<FlowVersion> {
      return call("flow.getVersion", {
        params: { serviceId, flowId, versionId },
        subject: `Version ${versionId} of flow ${flowId} in service ${serviceId}`,
      });
    },
  };
}

export type WebexConnectClient = ReturnType<typeof createWebexConnectClient>;
