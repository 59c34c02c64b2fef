/**
 * The short picture `npm run local` ends with: the edge FQDN and the Cloud Connect nodes behind it, the AMB asset, the
 * service it is registered to and the live flows bound to it. Made from `pulumi stack output --json` and the stack's
 * validated configuration, as plain text for a terminal.
 */
import type { StackConfig } from "../config/stackConfig";

export interface DeployedOutputs {
  fqdn?: string;
  flows?: Record<string, { flowId: string; liveVersionId: string; previousLiveVersionId?: string | null }>;
}

type PictureConfig = Pick<StackConfig, "stackName" | "asset" | "service" | "cloudConnect">;

/** `├──` for every item but the last, which gets `└──`; `indent` continues the lines below an item. */
function branches(items: readonly string[], indent: string): string[] {
  return items.map((item, index) => `${indent}${index === items.length - 1 ? "└──" : "├──"} ${item}`);
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : `${text}${" ".repeat(width - text.length)}`;
}

export function deployedPicture(config: PictureConfig, outputs: DeployedOutputs): string {
  const fqdn = outputs.fqdn ?? "(no FQDN in the outputs)";
  const nodes = config.cloudConnect.nodes.map((node) => {
    const address = node.port === undefined ? node.host : `${node.host}:${node.port}`;
    return `${node.name}${node.backup ? " (backup)" : ""}  ${address}`;
  });
  const edge = nodes.map((node, index) => {
    const joint =
      nodes.length === 1 ? "───" : index === 0 ? "─┬─" : index === nodes.length - 1 ? " └─" : " ├─";
    const lead = index === 0 ? `  edge ${fqdn} ` : `  ${" ".repeat(fqdn.length + 6)}`;
    return `${lead}${joint}▶ Cloud Connect ${node}`;
  });
  const flows = Object.entries(outputs.flows ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const width = Math.max(0, ...flows.map(([name]) => name.length));
  const flowLines = flows.map(([name, flow]) => {
    const previous = flow.previousLiveVersionId ? ` (was ${flow.previousLiveVersionId})` : "";
    return `${pad(name, width)}  live ${flow.liveVersionId}${previous}`;
  });
  const { asset, service } = config;
  return [
    `What ${config.stackName} deployed:`,
    ...edge,
    `  asset ${asset.accountName} (App ID ${asset.appId}, Data Stream ${asset.dataStream ? "on" : "off"})`,
    ...branches(
      [
        `service ${JSON.stringify(service.name)}${service.adopt === "none" ? "" : ` (adopted ${service.adopt})`}`,
      ],
      "    ",
    ),
    ...(flowLines.length > 0
      ? branches(flowLines, "          ")
      : ["          (no live flow in the outputs)"]),
  ].join("\n");
}
