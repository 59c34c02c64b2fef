/**
 * The flows section: per-asset webhook flows, or the tenant's common webhook flow with one route per asset, and the
 * rules that tie the common mode's keys together and to this stack's own asset.
 */
import { z } from "zod";
import { listTemplates, taskVariableProblem, type DestinationRoute, type TaskVariableField } from "../flows";
import {
  appIdSchema,
  duplicates,
  evenWithFieldProblems,
  identifier,
  isMapping,
  section,
} from "./schemaParts";

const CUSTOM_EVENT =
  "the id of the custom event the common webhook flow raises for this asset (Webex Connect → Assets → Integrations → Custom Event)";
const EVENT_ID_EXAMPLE = '"amb_retail_events"';
/** The keys of the flows section that only common mode reads. */
const COMMON_MODE_KEYS = ["eventId", "commonFlowOwner", "destinationRoutes"] as const;

/** The flows section as its cross-field rule sees it: the rule runs even when a field is wrong, so any type. */
interface WebhookModeInput {
  webhooks?: unknown;
  eventId?: unknown;
  commonFlowOwner?: unknown;
  destinationRoutes?: unknown;
}

/**
 * The common webhook flow is one per tenant: exactly one stack of the tenant owns it and lists every asset's route;
 * every stack in common mode deploys its own asset-events flow, started by its own custom event.
 */
function webhookModeProblems(flows: WebhookModeInput, ctx: z.core.$RefinementCtx): void {
  const problem = (path: PropertyKey[], message: string) => ctx.addIssue({ code: "custom", path, message });
  if (flows.webhooks !== "common") {
    for (const key of COMMON_MODE_KEYS.filter((name) => flows[name] !== undefined)) {
      problem(
        [key],
        'is only used when webhooks is "common" and would be ignored: remove it, or set webhooks to "common"',
      );
    }
    return;
  }
  if (flows.eventId === undefined) {
    problem(
      ["eventId"],
      `is missing: webhooks is "common", so give ${CUSTOM_EVENT}, e.g. ${EVENT_ID_EXAMPLE}`,
    );
  }
  const { commonFlowOwner: owner, destinationRoutes: routes } = flows;
  // An owner flag or a list of another type is reported by its field's own rule.
  if ((owner !== undefined && typeof owner !== "boolean") || (routes !== undefined && !Array.isArray(routes)))
    return;
  if (owner !== true) {
    if (routes !== undefined) {
      problem(
        ["destinationRoutes"],
        "is set, but only the stack that owns the tenant's common webhook flow lists the routes, and this one does " +
          "not (commonFlowOwner is not true): remove destinationRoutes here and add this asset's route to the " +
          "owner stack's list, or set commonFlowOwner: true if this stack deploys the common flow",
      );
    }
    return;
  }
  if (routes === undefined || routes.length === 0) {
    problem(
      ["destinationRoutes"],
      `${routes === undefined ? "is missing" : "is empty"}: this stack owns the tenant's common webhook flow ` +
        "(commonFlowOwner: true), so list {appId, eventId} for every AMB asset of the tenant, this stack's own included",
    );
    return;
  }
  const entries = routes.map((route: unknown) =>
    isMapping(route) ? (route as Record<string, unknown>) : {},
  );
  const routed = (field: "appId" | "eventId") =>
    entries.flatMap((route) => (typeof route[field] === "string" ? [route[field]] : []));
  for (const appId of duplicates(routed("appId"))) {
    problem(
      ["destinationRoutes"],
      `lists the App ID ${JSON.stringify(appId)} more than once: give each AMB asset of the tenant one route`,
    );
  }
  for (const eventId of duplicates(routed("eventId"))) {
    const appIds = entries
      .filter((route) => route.eventId === eventId)
      .map((route) => JSON.stringify(route.appId));
    problem(
      ["destinationRoutes"],
      `routes the App IDs ${appIds.join(", ")} to the same eventId ${JSON.stringify(eventId)}: each asset's flow ` +
        "starts on its own custom event, so give each route its own eventId",
    );
  }
}

/** The owner's routes must send its own asset's CCE events to the custom event its asset-events flow starts on. */
function ownRouteProblem(
  appId: string,
  flows: {
    webhooks: string;
    eventId?: string;
    commonFlowOwner?: boolean;
    destinationRoutes?: DestinationRoute[];
  },
): { path: PropertyKey[]; message: string } | undefined {
  const { eventId, destinationRoutes: routes = [] } = flows;
  // Without an owner, an event id or routes, the flows section's own rule has said what is missing.
  if (
    flows.webhooks !== "common" ||
    flows.commonFlowOwner !== true ||
    eventId === undefined ||
    routes.length === 0
  )
    return undefined;
  const index = routes.findIndex((route) => route.appId === appId);
  if (index === -1) {
    return {
      path: ["flows", "destinationRoutes"],
      message:
        `has no route for this stack's own App ID ${JSON.stringify(appId)} (asset.appId): add ` +
        `{appId: ${JSON.stringify(appId)}, eventId: ${JSON.stringify(eventId)}} so the common flow forwards ` +
        "this asset's CCE events to its flow",
    };
  }
  const routed = routes[index].eventId;
  if (routed === eventId) return undefined;
  return {
    path: ["flows", "destinationRoutes", index, "eventId"],
    message:
      `is ${JSON.stringify(routed)}, but flows.eventId is ${JSON.stringify(eventId)}: the route of this ` +
      "stack's own App ID must raise the custom event its asset-events flow starts on; make them the same",
  };
}

/** The cross-field rule of ownRouteProblem, on the whole configuration. */
export function ownRouteRule(
  config: { asset: { appId: string }; flows: Parameters<typeof ownRouteProblem>[1] },
  ctx: z.core.$RefinementCtx,
): void {
  const problem = ownRouteProblem(config.asset.appId, config.flows);
  if (problem !== undefined) ctx.addIssue({ code: "custom", ...problem });
}

/** The Create Task's variables, checked by the flow library's own rule, each problem at its variable's key. */
const taskVariables = (field: TaskVariableField) =>
  z
    .record(z.string(), z.string())
    .superRefine((variables, ctx) => {
      for (const [name, value] of Object.entries(variables)) {
        const message = taskVariableProblem(field, name, value);
        if (message !== undefined) ctx.addIssue({ code: "custom", path: [name], message });
      }
    })
    .default({});

export const flowsSection = section({
  webhooks: z
    .enum(["perAsset", "common"], {
      error: 'must be "perAsset" (five flows conditioned on the App ID) or "common"',
    })
    .default("perAsset"),
  /** Common mode: the custom event the common flow raises for this asset; its asset-events flow starts on it. */
  eventId: identifier(CUSTOM_EVENT, EVENT_ID_EXAMPLE).optional(),
  /** Common mode: whether this stack deploys the tenant's one common webhook flow. */
  commonFlowOwner: z.boolean().optional(),
  /** Common mode, owner only: every asset of the tenant, so the common flow can route each event to its asset's flow. */
  destinationRoutes: z
    .array(
      z.strictObject({
        appId: appIdSchema,
        eventId: identifier(CUSTOM_EVENT, EVENT_ID_EXAMPLE),
      }),
    )
    .optional(),
  callVariables: taskVariables("callVariables"),
  eccVariables: taskVariables("eccVariables"),
  /**
   * Hand-edited flows this stack keeps (written by `npm run export`): template name → a flow document file,
   * relative to the project folder, used instead of the template and bound with this stack's values like it.
   */
  overrides: z
    .record(
      z.string(),
      z
        .string()
        .trim()
        .min(
          1,
          "is empty: give the path of the flow document, e.g. stacks/overrides/<stack>/<template>.json",
        ),
    )
    .superRefine((overrides, ctx) => {
      const templates: readonly string[] = listTemplates();
      for (const name of Object.keys(overrides).filter((key) => !templates.includes(key))) {
        ctx.addIssue({
          code: "custom",
          path: [name],
          message: `is not a flow template: use one of ${templates.join(", ")}`,
        });
      }
    })
    .optional(),
})
  .default({ webhooks: "perAsset", callVariables: {}, eccVariables: {} })
  .superRefine(webhookModeProblems, evenWithFieldProblems);
