/**
 * One handler per route of the route table; the mapped type makes a route without a handler a
 * compile error, so the emulator cannot drift from webexconnect/routes.ts.
 */
import type { RouteName } from "../webexconnect/routes";
import type { BodyOf, RouteWithBody } from "../webexconnect/schemas";
import * as store from "./store";

export interface HandlerInput<R extends RouteName> {
  store: store.StoreContext;
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
  "asset.create": ({ body }) => store.refuseAssetCreate(body.name),
  "asset.list": ({ store: ctx, list }) => ok(store.listAssets(ctx, list.page, list.pageSize)),
  "asset.get": ({ store: ctx, params }) => ok(store.getAsset(ctx, params.assetId)),
  "asset.update": ({ store: ctx, params, body }) => ok(store.updateAsset(ctx, params.assetId, body)),
  "asset.delete": ({ store: ctx, params }) => {
    store.deleteAsset(ctx, params.assetId);
    return noContent;
  },
  "engage.get": ({ store: ctx, params }) => ok(store.getEngageRegistration(ctx, params.assetId)),
  "engage.register": ({ store: ctx, params, body }) =>
    ok(store.registerToEngage(ctx, params.assetId, body.serviceId)),
  "engage.unregister": ({ store: ctx, params }) => ok(store.unregisterAssetFromEngage(ctx, params.assetId)),
  "dataStream.get": ({ store: ctx, params }) => ok(store.getDataStream(ctx, params.assetId)),
  "dataStream.set": ({ store: ctx, params, body }) =>
    ok(store.setAssetDataStream(ctx, params.assetId, body.enabled)),
  "service.create": ({ store: ctx, body }) => created(store.createService(ctx, body)),
  "service.list": ({ store: ctx, list }) => ok(store.listServices(ctx, list.page, list.pageSize, list.name)),
  "service.get": ({ store: ctx, params }) => ok(store.getService(ctx, params.serviceId)),
  "service.update": ({ store: ctx, params, body }) => ok(store.updateService(ctx, params.serviceId, body)),
  "service.delete": ({ store: ctx, params }) => {
    store.deleteService(ctx, params.serviceId);
    return noContent;
  },
  "service.credentials": ({ store: ctx, params }) => ok(store.getServiceCredentials(ctx, params.serviceId)),
  "flow.list": ({ store: ctx, params, list }) =>
    ok(store.listFlows(ctx, params.serviceId, list.page, list.pageSize, list.name)),
  "flow.import": ({ store: ctx, params, body }) => created(store.importFlow(ctx, params.serviceId, body)),
  "flow.get": ({ store: ctx, params }) => ok(store.getFlow(ctx, params.serviceId, params.flowId)),
  "flow.rename": ({ store: ctx, params, body }) =>
    ok(store.renameFlow(ctx, params.serviceId, params.flowId, body.name)),
  "flow.delete": ({ store: ctx, params }) => {
    store.deleteFlow(ctx, params.serviceId, params.flowId);
    return noContent;
  },
  "flow.saveDraft": ({ store: ctx, params, body }) =>
    ok(store.saveFlowDraft(ctx, params.serviceId, params.flowId, body.definition)),
  "flow.publish": ({ store: ctx, params, body }) =>
    ok(store.publishFlow(ctx, params.serviceId, params.flowId, body.assetId)),
  "flow.deactivate": ({ store: ctx, params }) =>
    ok(store.deactivateFlow(ctx, params.serviceId, params.flowId)),
  "flow.listVersions": ({ store: ctx, params, list }) =>
    ok(store.listVersions(ctx, params.serviceId, params.flowId, list.page, list.pageSize)),
  "flow.getVersion": ({ store: ctx, params }) =>
    ok(store.getVersion(ctx, params.serviceId, params.flowId, params.versionId)),
};
