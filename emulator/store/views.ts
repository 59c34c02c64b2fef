/** Views: what the API returns for a record (secrets and bookkeeping stay inside). */
import type {
  AmbAssetWire,
  EngageRegistration,
  Flow,
  FlowSummary,
  FlowVersion,
  FlowVersionSummary,
  Service,
} from "../../webexconnect/schemas";
import type { AssetRecord, FlowRecord, ServiceRecord, VersionRecord } from "../state";

export function assetView(record: AssetRecord): AmbAssetWire {
  const { id, appId, abcAccountId, name, accountName, description, status, channel, channelId } = record;
  return { id, appId, abcAccountId, name, accountName, description, status, channel, channelId };
}

export function serviceView(record: ServiceRecord): Service {
  const { id, name, description, createdAt, updatedAt } = record;
  return { id, name, description, createdAt, updatedAt };
}

export function flowSummaryView(record: FlowRecord): FlowSummary {
  const { id, serviceId, name, status, liveVersionId, boundAssetId, createdAt, updatedAt } = record;
  return { id, serviceId, name, status, liveVersionId, boundAssetId, createdAt, updatedAt };
}

export function flowView(record: FlowRecord): Flow {
  return { ...flowSummaryView(record), draftDefinition: record.draftDefinition };
}

export function versionSummaryView(record: VersionRecord): FlowVersionSummary {
  const { id, flowId, serviceId, number, assetId, origin, createdAt } = record;
  return { id, flowId, serviceId, number, assetId, origin, createdAt };
}

export function versionView(record: VersionRecord): FlowVersion {
  return { ...versionSummaryView(record), definition: record.definition };
}

export function registrationView(asset: AssetRecord): EngageRegistration {
  return { assetId: asset.id, registered: asset.engageServiceId !== null, serviceId: asset.engageServiceId };
}
