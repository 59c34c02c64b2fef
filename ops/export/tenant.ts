/**
 * Export, the reading half: what Webex Connect shows for one AMB asset, read with the project's client. Calls go one
 * at a time (a tenant's rate limit is shared with its live traffic), each retried by the client on 429 after the
 * server's Retry-After; every step is reported through `progress`. Results are sorted, so the same tenant reads the
 * same.
 */
import type { WebexConnectClient } from "../../webexconnect";
import type { LiveFlowSnapshot, TenantAsset } from "./plan";

export type Progress = (line: string) => void;

const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** The App IDs of every AMB asset of the organization, sorted. */
export async function allAppIds(client: WebexConnectClient): Promise<string[]> {
  return (await client.listAmbAssets()).map((asset) => asset.appId).sort();
}

export async function readTenantAsset(
  client: WebexConnectClient,
  appId: string,
  progress: Progress = () => undefined,
): Promise<TenantAsset> {
  progress(`asset with App ID ${appId}`);
  // The asset with its Engage registration and Data Stream in one read, as the asset provider reads them.
  const asset = await client.getAmbAssetWithSettings((await client.getAmbAssetByAppId(appId)).id);
  const { engageRegistration: engage, dataStream } = asset;
  progress(
    `  ${asset.accountName} (${asset.status}); Engage: ${engage.registered ? `service ${engage.serviceId}` : "not registered"}; Data Stream ${dataStream.enabled ? "on" : "off"}`,
  );
  const tenant: TenantAsset = {
    organizationId: client.organizationId,
    asset: {
      id: asset.id,
      appId: asset.appId,
      ambAccountId: asset.ambAccountId,
      accountName: asset.accountName,
      name: asset.name,
      status: asset.status,
    },
    engage: { registered: engage.registered, serviceId: engage.serviceId },
    dataStream: dataStream.enabled,
    flows: [],
  };
  if (!engage.registered || !engage.serviceId) return tenant;
  const service = await client.getService(engage.serviceId);
  const bound = (await client.listFlows(service.id))
    .filter((flow) => flow.status === "live" && flow.boundAssetId === asset.id && flow.liveVersionId)
    .sort(byName);
  progress(`  service ${JSON.stringify(service.name)}: ${bound.length} live flow(s) bound to the asset`);
  const flows: LiveFlowSnapshot[] = [];
  for (const [index, flow] of bound.entries()) {
    progress(`  [${index + 1}/${bound.length}] ${flow.name}`);
    const version = await client.getFlowVersion(service.id, flow.id, flow.liveVersionId!);
    flows.push({ id: flow.id, name: flow.name, liveVersionId: version.id, definition: version.definition });
  }
  return {
    ...tenant,
    service: { id: service.id, name: service.name, description: service.description },
    flows,
  };
}
