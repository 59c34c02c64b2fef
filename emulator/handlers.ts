/**
 * One handler per route of the route table; the mapped type makes a route without a handler a
 * compile error, so the emulator cannot drift from webexconnect/routes.ts.
 */
import type { RouteName } from "../webexconnect/routes";
import type { BodyOf, RouteWithBody } from "../webexconnect/schemas";
import * as assets from "./store/assets";
import type { StoreContext } from "./store/context";
import * as flows from "./store/flows";
import * as services from "./store/services";

export interface HandlerInput<R extends RouteName> {
  store: StoreContext;
  params: Readonly<Record<string, string>>;
  list: { page: number; pageSize: number; name?: string };
  body: R extends RouteWithBody ? BodyOf<R> : undefined;
}

export interface HandlerResult {
  status: number;
  body?: unknown;
}

type Handler<R extends RouteName> = (input: HandlerInput<R>) => HandlerResult;

/** Routes answered from the store; the OAuth token route is answered by auth.ts, outside any organization. */
export type ApiRoute = Exclude<RouteName, "auth.accessToken">;

const ok = (body: unknown): HandlerResult => ({ status: 200, body });
const created = (body: unknown): HandlerResult => ({ status: 201, body });
const noContent: HandlerResult = { status: 204 };

export const HANDLERS: { [R in ApiRoute]: Handler<R> } = {
  "asset.create": ({ body }) => assets.refuseAssetCreate(body.name),
  "asset.list": ({ store: ctx, list }) => ok(assets.listAssets(ctx, list.page, list.pageSize)),
  "asset.get": ({ store: ctx, params }) => ok(assets.getAsset(ctx, params.assetId)),
  "asset.getWithSettings": ({ store: ctx, params }) => ok(assets.getAssetWithSettings(ctx, params.assetId)),
  "asset.update": ({ store: ctx, params, body }) => ok(assets.updateAsset(ctx, params.assetId, body)),
  "asset.delete": ({ store: ctx, params }) => {
    assets.deleteAsset(ctx, params.assetId);
    return noContent;
  },
  "engage.get": ({ store: ctx, params }) => ok(assets.getEngageRegistration(ctx, params.assetId)),
  "engage.register": ({ store: ctx, params, body }) =>
    ok(assets.registerToEngage(ctx, params.assetId, body.serviceId)),
  "engage.unregister": ({ store: ctx, params }) => ok(assets.unregisterAssetFromEngage(ctx, params.assetId)),
  "dataStream.get": ({ store: ctx, params }) => ok(assets.getDataStream(ctx, params.assetId)),
  "dataStream.set": ({ store: ctx, params, body }) =>
    ok(assets.setAssetDataStream(ctx, params.assetId, body.enabled)),
  "service.create": ({ store: ctx, body }) => created(services.createService(ctx, body)),
  "service.list": ({ store: ctx, list }) =>
    ok(services.listServices(ctx, list.page, list.pageSize, list.name)),
  "service.get": ({ store: ctx, params }) => ok(services.getService(ctx, params.serviceId)),
  "service.update": ({ store: ctx, params, body }) => ok(services.updateService(ctx, params.serviceId, body)),
  "service.delete": ({ store: ctx, params }) => {
    services.deleteService(ctx, params.serviceId);
    return noContent;
  },
  "service.credentials": ({ store: ctx, params }) =>
    ok(services.getServiceCredentials(ctx, params.serviceId)),
  "flow.list": ({ store: ctx, params, list }) =>
    ok(flows.listFlows(ctx, params.serviceId, list.page, list.pageSize, list.name)),
  "flow.import": ({ store: ctx, params, body }) => created(flows.importFlow(ctx, params.serviceId, body)),
  "flow.get": ({ store: ctx, params }) => ok(flows.getFlow(ctx, params.serviceId, params.flowId)),
  "flow.rename": ({ store: ctx, params, body }) =>
    ok(flows.renameFlow(ctx, params.serviceId, params.flowId, body.name)),
  "flow.delete": ({ store: ctx, params }) => {
    flows.deleteFlow(ctx, params.serviceId, params.flowId);
    return noContent;
  },
  "flow.saveDraft": ({ store: ctx, params, body }) =>
    ok(flows.saveFlowDraft(ctx, params.serviceId, params.flowId, body.definition)),
  "flow.publish": ({ store: ctx, params, body }) =>
    ok(flows.publishFlow(ctx, params.serviceId, params.flowId, body.assetId)),
  "flow.deactivate": ({ store: ctx, params }) =>
    ok(flows.deactivateFlow(ctx, params.serviceId, params.flowId)),
  "flow.listVersions": ({ store: ctx, params, list }) =>
    ok(flows.listVersions(ctx, params.serviceId, params.flowId, list.page, list.pageSize)),
  "flow.getVersion": ({ store: ctx, params }) =>
    ok(flows.getVersion(ctx, params.serviceId, params.flowId, params.versionId)),
};
