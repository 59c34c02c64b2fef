/**
 * Webex Connect service: created and owned by the stack, or adopted (by name or id) and then never changed or
 * deleted. The credentials (service key, JWT secret) are outputs the component marks secret.
 */
import { z } from "zod";
import type { Service } from "../webexconnect";
import { assertAssetClaimable } from "./ambAsset";
import { diffProperties, readResult, unlessGone } from "./dynamicSupport";
import { defineWebexConnectProvider } from "./defineProvider";
import { describeOwned, parseOwnedDescription } from "./ownership";
import { webexClient } from "./client";

export const serviceInputsSchema = z
  .strictObject({
    name: z.string().trim().min(1, { message: "is empty: give the Webex Connect service name" }),
    description: z.string().default(""),
    adopt: z.enum(["none", "byName", "byId"]).default("none"),
    adoptId: z.string().optional(),
    /** `<project>/<stack>`: marks services this stack created, so a retried create can tell them from others'. */
    owner: z.string().min(1),
    /** The AMB asset the service is for: checked (read only) before the service is created. */
    forAsset: z
      .strictObject({ appId: z.string().min(1), takeOwnershipFrom: z.string().optional() })
      .optional(),
  })
  .refine((inputs) => inputs.adopt !== "byId" || !!inputs.adoptId, {
    message: 'adopt is "byId" but adoptId is not set: give the id of the existing service',
    path: ["adoptId"],
  });

export type ServiceInputs = z.infer<typeof serviceInputsSchema>;

export interface ServiceOutputs extends ServiceInputs {
  serviceId: string;
  adopted: boolean;
  credentials: { serviceKey: string; jwtSecret: string };
}

async function findToAdopt(inputs: ServiceInputs): Promise<Service> {
  const client = webexClient();
  if (inputs.adopt === "byId") return client.getService(inputs.adoptId!);
  const found = await client.findServiceByName(inputs.name);
  if (!found) {
    throw new Error(
      `service.adopt is "byName" but no Webex Connect service is named ${JSON.stringify(inputs.name)}: ` +
        `fix service.name, or set service.adopt to "none" to create it`,
    );
  }
  return found;
}

async function outputs(service: Service, inputs: ServiceInputs, adopted: boolean): Promise<ServiceOutputs> {
  const credentials = await webexClient().getServiceCredentials(service.id);
  return {
    ...inputs,
    serviceId: service.id,
    adopted,
    credentials: { serviceKey: credentials.serviceKey, jwtSecret: credentials.jwtSecret },
  };
}

export const provider = defineWebexConnectProvider(serviceInputsSchema, {
  async diff(_id, olds: ServiceOutputs, news: ServiceInputs) {
    const adoptedRules = { adopt: { replaces: true }, adoptId: { replaces: true }, name: { replaces: true } };
    const ownedRules = { adopt: { replaces: true }, name: {}, description: {}, owner: {} };
    const { changed, replaces } = diffProperties(olds, news, olds.adopted ? adoptedRules : ownedRules);
    return { changes: changed.length > 0, replaces, deleteBeforeReplace: true };
  },

  async create(inputs: ServiceInputs) {
    if (inputs.forAsset)
      await assertAssetClaimable(webexClient(), { owner: inputs.owner, ...inputs.forAsset });
    if (inputs.adopt !== "none") {
      const service = await findToAdopt(inputs);
      return { id: service.id, outs: await outputs(service, inputs, true) };
    }
    const { value: service, adopted } = await webexClient().createService({
      name: inputs.name,
      description: describeOwned(inputs.description, inputs.owner),
    });
    // Found by name instead of created: only ours (an earlier create whose answer was lost) may be taken over.
    if (adopted && parseOwnedDescription(service.description).owner !== inputs.owner) {
      throw new Error(
        `A Webex Connect service named ${JSON.stringify(inputs.name)} already exists (id ${service.id}) and is not ` +
          `managed by ${inputs.owner}: set service.adopt to "byName" to use it as it is, or choose another service.name`,
      );
    }
    return { id: service.id, outs: await outputs(service, inputs, false) };
  },

  async read(id, props: ServiceOutputs) {
    const service = await unlessGone(() => webexClient().getService(id));
    if (!service) return {};
    const { description } = parseOwnedDescription(service.description);
    const current = props.adopted ? props : { ...props, name: service.name, description };
    const inputs: ServiceInputs = {
      name: current.name,
      description: current.description,
      adopt: props.adopt,
      adoptId: props.adoptId,
      owner: props.owner,
      // The program's own input, which no portal shows: not drift.
      forAsset: props.forAsset,
    };
    return readResult(id, { ...current, serviceId: id }, inputs);
  },

  async update(id, olds: ServiceOutputs, news: ServiceInputs) {
    const service = await webexClient().updateService(id, {
      name: news.name,
      description: describeOwned(news.description, news.owner),
    });
    return { outs: { ...news, serviceId: service.id, adopted: false, credentials: olds.credentials } };
  },

  async delete(id, props: ServiceOutputs) {
    if (props.adopted) return; // adopted services belong to someone else: released, never deleted
    await unlessGone(() => webexClient().deleteService(id));
  },
});
