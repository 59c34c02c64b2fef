/**
 * A live flow: a bound flow document imported into a service as a draft, validated, then made live bound to
 * exactly one AMB asset. It publishes only when the canonical hash of the flow changes, so re-running never mints
 * a new version. Refresh compares the live version with the desired flow node by node.
 */
import { z } from "zod";
import {
  diffFlows,
  flowHash,
  formatProblems,
  parseFlowDocument,
  validateFlow,
  type FlowDocument,
} from "../flows";
import type { Flow, WebexConnectClient } from "../webexconnect";
import { containsUnknown, diffProperties, readResult, unlessGone } from "./dynamicSupport";
import { defineWebexConnectProvider } from "./defineProvider";
import { webexClient } from "./client";

export const liveFlowInputsSchema = z.strictObject({
  name: z.string().trim().min(1, { message: "is empty: give the flow a name" }),
  serviceId: z.string().min(1),
  assetId: z.string().min(1),
  definition: z.unknown().superRefine((value, ctx) => {
    let flow: FlowDocument;
    try {
      flow = parseFlowDocument(value, "definition");
    } catch (error) {
      ctx.addIssue({ code: "custom", message: (error as Error).message });
      return;
    }
    const problems = validateFlow(flow);
    if (problems.length > 0)
      ctx.addIssue({ code: "custom", message: `the flow is not valid:\n${formatProblems(problems)}` });
  }),
});

export type LiveFlowInputs = Omit<z.infer<typeof liveFlowInputsSchema>, "definition"> & {
  definition: FlowDocument;
};

export interface LiveFlowOutputs extends LiveFlowInputs {
  flowId: string;
  status: string;
  liveVersionId: string;
  /** The version that was live before the last publish: what a rollback goes back to. */
  previousLiveVersionId: string | null;
  definitionHash: string;
  /** Node-level differences between the desired flow and the live one, found by the last refresh. */
  liveChanges: string[];
}

/** Whether the flow in Webex Connect must be published again to match the desired definition. */
export function needsPublish(
  live: Pick<Flow, "status" | "boundAssetId">,
  liveHash: string | undefined,
  desired: { assetId: string; definitionHash: string },
): boolean {
  return (
    live.status !== "live" || live.boundAssetId !== desired.assetId || liveHash !== desired.definitionHash
  );
}

async function liveDefinitionHash(client: WebexConnectClient, flow: Flow): Promise<string | undefined> {
  if (!flow.liveVersionId) return undefined;
  const version = await client.getFlowVersion(flow.serviceId, flow.id, flow.liveVersionId);
  return flowHash(parseFlowDocument(version.definition, `live version ${flow.liveVersionId}`));
}

/** Saves the draft and makes it live unless the live version already is the desired flow. */
async function converge(
  client: WebexConnectClient,
  flow: Flow,
  inputs: LiveFlowInputs,
  known: { liveHash?: string; draftIsDesired?: boolean } = {},
): Promise<LiveFlowOutputs> {
  const definitionHash = flowHash(inputs.definition);
  const liveHash = known.liveHash ?? (await liveDefinitionHash(client, flow));
  let current = flow;
  if (current.name !== inputs.name)
    current = await client.renameFlow(current.serviceId, current.id, inputs.name);
  let previousLiveVersionId: string | null = null;
  if (needsPublish(current, liveHash, { assetId: inputs.assetId, definitionHash })) {
    previousLiveVersionId = current.liveVersionId;
    if (!known.draftIsDesired) await client.saveFlowDraft(current.serviceId, current.id, inputs.definition);
    current = (await client.publishFlow(current.serviceId, current.id, inputs.assetId)).flow;
  }
  return {
    ...inputs,
    flowId: current.id,
    status: current.status,
    liveVersionId: current.liveVersionId!,
    previousLiveVersionId,
    definitionHash,
    liveChanges: [],
  };
}

export const provider = defineWebexConnectProvider(liveFlowInputsSchema, {
  async diff(_id, olds: LiveFlowOutputs, news: LiveFlowInputs) {
    const { changed, replaces } = diffProperties(olds, news, {
      serviceId: { replaces: true },
      assetId: { replaces: true },
      name: {},
      definition: {
        equal: (before, after) =>
          !containsUnknown(after) && flowHash(before as FlowDocument) === flowHash(after as FlowDocument),
      },
    });
    // Deactivated (or re-bound) in the portal since the last refresh: publishing again restores it.
    if (olds.status !== "live" && !changed.includes("definition")) changed.push("status");
    return { changes: changed.length > 0, replaces, deleteBeforeReplace: true };
  },

  async create(inputs: LiveFlowInputs) {
    const client = webexClient();
    // Search-before-create: a flow of this name left by an interrupted run is taken over, not duplicated.
    const { value: flow } = await client.importFlow(inputs.serviceId, {
      name: inputs.name,
      definition: inputs.definition,
    });
    const outs = await converge(client, flow, inputs);
    return { id: flow.id, outs };
  },

  async read(id, props: LiveFlowOutputs) {
    const client = webexClient();
    const flow = await unlessGone(() => client.getFlow(props.serviceId, id));
    if (!flow) return {};
    // Versions are immutable: the live definition is fetched only when another version went live.
    let live = props.definition;
    if (flow.liveVersionId && flow.liveVersionId !== props.liveVersionId) {
      const version = await client.getFlowVersion(flow.serviceId, id, flow.liveVersionId);
      live = parseFlowDocument(version.definition, `live version ${flow.liveVersionId} of ${flow.name}`);
    }
    const inputs: LiveFlowInputs = {
      name: flow.name,
      serviceId: flow.serviceId,
      assetId: flow.boundAssetId ?? props.assetId,
      definition: live,
    };
    const outs: LiveFlowOutputs = {
      ...props,
      ...inputs,
      status: flow.status,
      liveVersionId: flow.liveVersionId ?? props.liveVersionId,
      definitionHash: flowHash(live),
      liveChanges: diffFlows(props.definition, live).map((change) => change.line),
    };
    return readResult(id, outs, inputs);
  },

  async update(id, olds: LiveFlowOutputs, news: LiveFlowInputs) {
    const client = webexClient();
    const flow = await client.getFlow(news.serviceId, id);
    const liveHash = flow.liveVersionId === olds.liveVersionId ? olds.definitionHash : undefined;
    const outs = await converge(client, flow, news, { liveHash });
    return {
      outs: { ...outs, previousLiveVersionId: outs.previousLiveVersionId ?? olds.previousLiveVersionId },
    };
  },

  /** Deactivates, then deletes: Webex Connect refuses to delete a live flow. */
  async delete(id, props: LiveFlowOutputs) {
    const client = webexClient();
    await unlessGone(async () => {
      const flow = await client.getFlow(props.serviceId, id);
      if (flow.status === "live") await client.deactivateFlow(props.serviceId, id);
      await client.deleteFlow(props.serviceId, id);
    });
  },
});
