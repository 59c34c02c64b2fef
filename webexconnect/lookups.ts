/**
 * The subjects the client's errors name, and the lookups several operations share: walking a list route and
 * finding an object by its natural key (App ID, service name, flow name within a service).
 */
import type { CallScope } from "./clock";
import type { Connection, ListOptions, NamedListOptions } from "./connection";
import { findFirst } from "./pagination";
import type { Flow, FlowSummary } from "./schemas";

export const assetSubject = (assetId: string) => `AMB asset ${assetId}`;
export const serviceSubject = (serviceId: string) => `Service ${serviceId}`;
export const flowSubject = (serviceId: string, flowId: string) => `Flow ${flowId} in service ${serviceId}`;

export function iterateAmbAssets(connection: Connection, list?: ListOptions, scope?: CallScope) {
  return connection.pages(
    (page, pageSize) =>
      connection.call("asset.list", { query: { page, pageSize }, subject: "AMB assets", scope }),
    list,
  );
}

export function findAmbAssetByAppId(connection: Connection, appId: string, scope?: CallScope) {
  return findFirst(iterateAmbAssets(connection, {}, scope), (asset) => asset.appId === appId);
}

export function iterateServices(connection: Connection, list: NamedListOptions = {}, scope?: CallScope) {
  return connection.pages(
    (page, pageSize) =>
      connection.call("service.list", {
        query: { page, pageSize, name: list.name },
        subject: "Services",
        scope,
      }),
    list,
  );
}

export function findServiceByName(connection: Connection, name: string, scope?: CallScope) {
  return findFirst(iterateServices(connection, { name }, scope), (candidate) => candidate.name === name);
}

export function iterateFlows(
  connection: Connection,
  serviceId: string,
  list: NamedListOptions = {},
  scope?: CallScope,
) {
  return connection.pages(
    (page, pageSize) =>
      connection.call("flow.list", {
        params: { serviceId },
        query: { page, pageSize, name: list.name },
        subject: serviceSubject(serviceId),
        scope,
      }),
    list,
  );
}

export function findFlowByName(
  connection: Connection,
  serviceId: string,
  name: string,
  scope?: CallScope,
): Promise<FlowSummary | undefined> {
  return findFirst(
    iterateFlows(connection, serviceId, { name }, scope),
    (candidate) => candidate.name === name,
  );
}

export function getFlow(
  connection: Connection,
  serviceId: string,
  flowId: string,
  scope?: CallScope,
): Promise<Flow> {
  return connection.call("flow.get", {
    params: { serviceId, flowId },
    subject: flowSubject(serviceId, flowId),
    scope,
  });
}
