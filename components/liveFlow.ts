import * as pulumi from "@pulumi/pulumi";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  bindFlow,
  boundFlowName,
  formatProblems,
  loadTemplate,
  parseFlowDocument,
  type FlowBindings,
  type FlowDocument,
  type TemplateName,
} from "../flows";
import { WebexConnectResource } from "./webexConnectResource";
import { RESOURCE_TYPES } from "../lib/facts";

export interface LiveFlowArgs {
  template: TemplateName;
  /** Name of the AMB asset the flow is bound to; part of the flow's name, since a live flow serves one asset. */
  assetName: string;
  serviceId: pulumi.Input<string>;
  assetId: pulumi.Input<string>;
  /** Proxy FQDN, App ID, AMB Account ID, …; serviceId and ambAssetId are filled from the args above. */
  bindings: pulumi.Input<Omit<FlowBindings, "serviceId" | "ambAssetId">>;
  /**
   * A per-stack override (`flows.overrides`): the path, relative to the project folder, of a flow document used
   * instead of the template, e.g. a hand-edited flow kept by `npm run export`. It is bound like the template.
   */
  override?: string;
}

/** The flow document an override file holds (`file` relative to `projectDir`, where Pulumi.yaml is); errors name it. */
export function readOverride(file: string, projectDir: string): FlowDocument {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(path.resolve(projectDir, file), "utf8"));
  } catch (error) {
    throw new Error(
      `The flow override ${file} (amb-cce-connect:flows.overrides) cannot be read: ${(error as Error).message}. ` +
        "Fix the path (relative to the project folder) or remove the override to use the template.",
    );
  }
  return parseFlowDocument(json, `the flow override ${file}`);
}

/** Binds a template (or an override of it), failing with every problem named by node and field. */
export function boundDefinition(
  template: TemplateName,
  bindings: FlowBindings,
  source: FlowDocument = loadTemplate(template),
): FlowDocument {
  const result = bindFlow(source, bindings);
  if (!result.ok) throw new Error(`Flow ${template} cannot be bound:\n${formatProblems(result.problems)}`);
  return result.flow;
}

/** The dynamic resource behind LiveFlow (type pulumi-nodejs:dynamic/webexconnect:LiveFlow). */
export class LiveFlowResource extends WebexConnectResource {
  declare readonly flowId: pulumi.Output<string>;
  declare readonly liveVersionId: pulumi.Output<string>;
  declare readonly previousLiveVersionId: pulumi.Output<string | null>;
  declare readonly liveChanges: pulumi.Output<string[]>;

  constructor(
    name: string,
    args: {
      name: string;
      serviceId: pulumi.Input<string>;
      assetId: pulumi.Input<string>;
      definition: pulumi.Input<FlowDocument>;
    },
    opts?: pulumi.CustomResourceOptions,
  ) {
    const outputs = {
      flowId: undefined,
      status: undefined,
      liveVersionId: undefined,
      previousLiveVersionId: undefined,
    };
    super(
      RESOURCE_TYPES.liveFlowResource,
      "liveFlow",
      name,
      { ...args, ...outputs, definitionHash: undefined, liveChanges: undefined },
      opts,
    );
  }
}

/**
 * Runs `compute` for `resource`; an argument problem it throws becomes a ResourceError, which the engine reports
 * on the resource, with the message alone (the message names the fix; a stack trace would bury it).
 */
function asResourceError<T>(resource: pulumi.Resource, compute: () => T): T {
  try {
    return compute();
  } catch (error) {
    throw new pulumi.ResourceError((error as Error).message, resource, true);
  }
}

/** A flow made live in Webex Connect from one of our templates, bound to exactly one AMB asset. */
export class LiveFlow extends pulumi.ComponentResource {
  readonly flowName: string;
  readonly flowId: pulumi.Output<string>;
  readonly liveVersionId: pulumi.Output<string>;
  readonly previousLiveVersionId: pulumi.Output<string | null>;

  constructor(name: string, args: LiveFlowArgs, opts?: pulumi.ComponentResourceOptions) {
    super(RESOURCE_TYPES.liveFlow, name, {}, opts);
    this.flowName = boundFlowName(args.template, args.assetName);
    const source = asResourceError(this, () =>
      args.override === undefined
        ? loadTemplate(args.template)
        : readOverride(args.override, pulumi.getRootDirectory()),
    );
    const definition = pulumi
      .all([args.bindings, args.serviceId, args.assetId])
      .apply(([bindings, serviceId, ambAssetId]) =>
        asResourceError(this, () =>
          boundDefinition(args.template, { ...bindings, serviceId, ambAssetId }, source),
        ),
      );
    const flow = new LiveFlowResource(
      name,
      { name: this.flowName, serviceId: args.serviceId, assetId: args.assetId, definition },
      { parent: this },
    );
    this.flowId = flow.flowId;
    this.liveVersionId = flow.liveVersionId;
    this.previousLiveVersionId = flow.previousLiveVersionId;
    this.registerOutputs({
      flowName: this.flowName,
      flowId: this.flowId,
      liveVersionId: this.liveVersionId,
      previousLiveVersionId: this.previousLiveVersionId,
    });
  }
}
