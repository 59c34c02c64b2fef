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

/** One place a binding is written: `container[path]`, and where a problem with it is reported. */
export interface BindingSite {
  readonly key: BindingKey;
  readonly container: JsonObject;
  readonly path: string;
  readonly where: Omit<FlowProblem, "flow" | "message">;
}

/**
 * Every binding site of `flow`, in a fixed order: serviceId, the channel-event trigger's asset, the custom-event
 * trigger's event, the trigger's cce.destination conditions, then each node's sites from the node-type table.
 * The containers are `flow`'s own objects: binding writes through them, reading (`readBindings`) only reads.
 */
export function bindingSites(flow: FlowDocument): BindingSite[] {
  const atStart = {
    nodeId: flow.startNodeId,
    nodeName: flow.nodes.find((node) => node.id === flow.startNodeId)?.name,
  };
  const trigger = flow.trigger as unknown as JsonObject;
  return [
    {
      key: "serviceId",
      container: flow as unknown as JsonObject,
      path: "serviceId",
      where: { field: "serviceId" },
    },
    ...(flow.trigger.kind === "channelEvent"
      ? [
          {
            key: "ambAssetId" as const,
            container: trigger,
            path: "asset",
            where: { ...atStart, field: "trigger.asset" },
          },
        ]
      : []),
    ...(flow.trigger.kind === "customEvent"
      ? [
          {
            key: "eventId" as const,
            container: trigger,
            path: "event",
            where: { ...atStart, field: "trigger.event" },
          },
        ]
      : []),
    ...flow.trigger.conditions.flatMap((condition, index) =>
      condition.field === DESTINATION_FIELD
        ? [
            {
              key: "appId" as const,
              container: condition as unknown as JsonObject,
              path: "value",
              where: { ...atStart, field: `trigger.conditions[${index}].value` },
            },
          ]
        : [],
    ),
    ...flow.nodes.flatMap((node) =>
      (nodeTypeSpec(node.type)?.bindings ?? []).map((site) => ({
        key: site.binding,
        container: node.config,
        path: site.field,
        where: { nodeId: node.id, nodeName: node.name, field: site.field },
      })),
    ),
  ];
}

/** What a bound flow holds at each binding site: the inverse of binding, for adopting flows built by hand. */
export function readBindings(
  flow: FlowDocument,
): Array<{ key: BindingKey; value: JsonValue | undefined; where: BindingSite["where"] }> {
  return bindingSites(flow).map(({ key, container, path, where }) => ({
    key,
    value: getPath(container, path),
    where,
  }));
}

/**
 * Binds `template` with `bindings` and validates the result. All problems are reported at once: missing or
 * invalid bindings at each site that needs them, then validateFlow's problems on other fields.
 */
export function bindFlow(template: FlowDocument, bindings: FlowBindings): BindResult {
  const flow = cloneJson(template);
  const problems: FlowProblem[] = [];
  const resolutions = new Map<BindingKey, BindingResolution>();

  for (const { key, container, path, where } of bindingSites(flow)) {
    const resolution = resolutions.get(key) ?? resolveBinding(key, bindings);
    resolutions.set(key, resolution);
    if (!resolution.ok) {
      problems.push(...resolution.messages.map((message) => ({ flow: template.name, ...where, message })));
      continue;
    }
    const bound = resolution.apply(getPath(container, path));
    if (bound !== undefined) setPath(container, path, bound);
  }

  const bindingProblemKeys = new Set(problems.map(problemKey));
  problems.push(...validateFlow(flow).filter((problem) => !bindingProblemKeys.has(problemKey(problem))));
  return problems.length === 0 ? { ok: true, flow } : { ok: false, problems };
}
