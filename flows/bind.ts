/**
 * Binding: a template plus the environment's values gives a concrete flow. Each binding site (from the
 * node-type table, plus serviceId, the channel-event trigger's asset, the custom-event trigger's event and the
 * trigger's cce.destination conditions) is overwritten whatever it holds, so binding is idempotent and rebinding a bound flow with
 * new values changes those sites only.
 */
import { cloneJson } from "../lib/json";
import { resolveBinding, type BindingKey, type BindingResolution, type FlowBindings } from "./bindings";
import { nodeTypeSpec } from "./nodeTypes";
import { getPath, setPath, type JsonObject } from "./paths";
import type { FlowProblem } from "./problems";
import type { FlowDocument, JsonValue } from "./schema";
import { validateFlow } from "./validate";

/** The trigger condition field a per-asset webhook flow compares with the asset's App ID. */
export const DESTINATION_FIELD = "cce.destination";

export type BindResult =
  | { readonly ok: true; readonly flow: FlowDocument }
  | { readonly ok: false; readonly problems: readonly FlowProblem[] };

const problemKey = (problem: FlowProblem) => `${problem.nodeId ?? ""}\u0000${problem.field}`;

/**
 * Binds `template` with `bindings` and validates the result. All problems are reported at once: missing or
 * invalid bindings at each site that needs them, then validateFlow's problems on other fields.
 */
export function bindFlow(template: FlowDocument, bindings: FlowBindings): BindResult {
  const flow = cloneJson(template);
  const problems: FlowProblem[] = [];
  const resolutions = new Map<BindingKey, BindingResolution>();

  /** Writes the bound value into `container[path]`, or records why it cannot. */
  function bindSite(
    container: JsonObject,
    path: string,
    key: BindingKey,
    where: Omit<FlowProblem, "flow" | "message">,
  ) {
    const resolution = resolutions.get(key) ?? resolveBinding(key, bindings);
    resolutions.set(key, resolution);
    if (!resolution.ok) {
      problems.push(...resolution.messages.map((message) => ({ flow: template.name, ...where, message })));
      return;
    }
    const bound = resolution.apply(getPath(container, path));
    if (bound !== undefined) setPath(container, path, bound);
  }

  /** Binds a string-valued field of the document outside node config. */
  function bindText<T extends string | undefined>(
    current: T,
    key: BindingKey,
    where: Omit<FlowProblem, "flow" | "message">,
  ): T | string {
    const holder: JsonObject = current === undefined ? {} : { value: current };
    bindSite(holder, "value", key, where);
    const bound: JsonValue | undefined = holder.value;
    return typeof bound === "string" ? bound : current;
  }

  flow.serviceId = bindText(flow.serviceId, "serviceId", { field: "serviceId" });
  const atStart = {
    nodeId: flow.startNodeId,
    nodeName: flow.nodes.find((node) => node.id === flow.startNodeId)?.name,
  };
  if (flow.trigger.kind === "channelEvent") {
    flow.trigger.asset = bindText(flow.trigger.asset, "ambAssetId", { ...atStart, field: "trigger.asset" });
  }
  if (flow.trigger.kind === "customEvent") {
    flow.trigger.event = bindText(flow.trigger.event, "eventId", { ...atStart, field: "trigger.event" });
  }
  flow.trigger.conditions.forEach((condition, index) => {
    if (condition.field !== DESTINATION_FIELD) return;
    const where = { ...atStart, field: `trigger.conditions[${index}].value` };
    condition.value = bindText(condition.value, "appId", where);
  });
  for (const node of flow.nodes) {
    for (const site of nodeTypeSpec(node.type)?.bindings ?? []) {
      bindSite(node.config, site.field, site.binding, {
        nodeId: node.id,
        nodeName: node.name,
        field: site.field,
      });
    }
  }

  const bindingProblemKeys = new Set(problems.map(problemKey));
  problems.push(...validateFlow(flow).filter((problem) => !bindingProblemKeys.has(problemKey(problem))));
  return problems.length === 0 ? { ok: true, flow } : { ok: false, problems };
}
