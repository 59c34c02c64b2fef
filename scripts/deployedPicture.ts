/**
 * Prints what a stack deployed as a short picture (ops/deployedPicture.ts), from `pulumi stack output --json` on
 * stdin and the stack's file:
 *
 *   pulumi stack output --stack dev-demo --json | npx ts-node --transpile-only scripts/deployedPicture.ts --stack dev-demo
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { stackFileSource } from "../config/projectFiles";
import { rawStackConfig } from "../config/rawStackConfig";
import { parseStackConfig } from "../config/stackConfig";
import { deployedPicture, type DeployedOutputs } from "../ops/deployedPicture";

async function main(): Promise<void> {
  const [flag, stack] = process.argv.slice(2);
  if (flag !== "--stack" || !stack) throw new Error("usage: … | deployedPicture.ts --stack <stack>");
  const file = path.join("stacks", `Pulumi.${stack}.yaml`);
  const config = parseStackConfig(
    rawStackConfig(stackFileSource(stack, fs.readFileSync(file, "utf8")), process.env),
  );
  let input = "";
  for await (const chunk of process.stdin) input += chunk;
  process.stdout.write(`${deployedPicture(config, JSON.parse(input) as DeployedOutputs)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`deployed-picture: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
