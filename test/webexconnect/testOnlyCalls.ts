/**
 * Webex Connect calls only the tests make (the providers and ops never create or delete an AMB asset, list every
 * service, look a flow up by name or list a flow's versions), on the connection of the client under test, so they
 * share its token, retries and scrubbing.
 */
import { assetSubject, findFlowByName, flowSubject, iterateServices } from "../../webexconnect/lookups";
import type { Connection, ListOptions, NamedListOptions } from "../../webexconnect/connection";
import { collectAll } from "../../webexconnect/pagination";
import type { AmbAsset, FlowSummary, FlowVersionSummary, Service } from "../../webexconnect/schemas";

export function testOnlyCalls(connection: Connection) {
  const { call } = connection;
  return {
    /** Always refused for AMB: the error says how to register the asset at Apple instead. */
    createAmbAsset(input: { name: string }): Promise<AmbAsset> {
      return call("asset.create", { body: input, subject: "AMB asset channel" });
    },
    async deleteAmbAsset(assetId: string): Promise<void> {
      await call("asset.delete", { params: { assetId }, subject: assetSubject(assetId) });
    },
    listServices: (list?: NamedListOptions): Promise<Service[]> =>
      collectAll(iterateServices(connection, list)),
    findFlowByName: (serviceId: string, name: string): Promise<FlowSummary | undefined> =>
      findFlowByName(connection, serviceId, name),
    listFlowVersions(serviceId: string, flowId: string, list?: ListOptions): Promise<FlowVersionSummary[]> {
      const versions = connection.pages(
        (page, pageSize) =>
          call("flow.listVersions", {
            params: { serviceId, flowId },
            query: { page, pageSize },
            subject: flowSubject(serviceId, flowId),
          }),
        list,
      );
      return collectAll(versions);
    },
  };
}
