/** Webex Connect services: created by name, with the credentials the messaging and event APIs use. */
import { randomBytes, randomUUID } from "node:crypto";
import type { BodyOf, Page, Service, ServiceCredentials } from "../../webexconnect/schemas";
import { HttpProblem } from "../problem";
import type { ServiceRecord } from "../state";
import { byCreation, deleteFlowRecord, newId, paginate, requireService, type StoreContext } from "./context";
import { serviceView } from "./views";

export function createService(ctx: StoreContext, body: BodyOf<"service.create">): Service {
  const now = ctx.now();
  const record: ServiceRecord = {
    id: newId(ctx, "svc"),
    organizationId: ctx.organizationId,
    name: body.name,
    description: body.description ?? "",
    serviceKey: randomUUID(),
    jwtSecret: randomBytes(32).toString("base64"),
    createdAt: now,
    updatedAt: now,
  };
  ctx.state.services[record.id] = record;
  return serviceView(record);
}

export function listServices(
  ctx: StoreContext,
  page: number,
  pageSize: number,
  name?: string,
): Page<Service> {
  const services = Object.values(ctx.state.services).filter(
    (service) =>
      service.organizationId === ctx.organizationId && (name === undefined || service.name === name),
  );
  return paginate(services.sort(byCreation).map(serviceView), page, pageSize);
}

export function getService(ctx: StoreContext, serviceId: string): Service {
  return serviceView(requireService(ctx, serviceId));
}

export function updateService(ctx: StoreContext, serviceId: string, body: BodyOf<"service.update">): Service {
  const service = requireService(ctx, serviceId);
  service.name = body.name;
  service.description = body.description;
  service.updatedAt = ctx.now();
  return serviceView(service);
}

export function deleteService(ctx: StoreContext, serviceId: string): void {
  const service = requireService(ctx, serviceId);
  const flows = Object.values(ctx.state.flows).filter((flow) => flow.serviceId === service.id);
  const live = flows.filter((flow) => flow.status === "live");
  if (live.length > 0)
    throw new HttpProblem(
      409,
      "conflict",
      `Service ${serviceId} has live flow(s) ${live.map((flow) => flow.name).join(", ")}; deactivate them first.`,
    );
  const registered = Object.values(ctx.state.assets).filter((asset) => asset.engageServiceId === service.id);
  if (registered.length > 0)
    throw new HttpProblem(
      409,
      "conflict",
      `Service ${serviceId} is used by the Webex Engage registration of asset(s) ${registered.map((asset) => asset.id).join(", ")}; unregister them first.`,
    );
  for (const flow of flows) deleteFlowRecord(ctx.state, flow);
  delete ctx.state.services[service.id];
}

export function getServiceCredentials(ctx: StoreContext, serviceId: string): ServiceCredentials {
  const service = requireService(ctx, serviceId);
  return { serviceId: service.id, serviceKey: service.serviceKey, jwtSecret: service.jwtSecret };
}
