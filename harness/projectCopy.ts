/**
 * A throw-away copy of the project's Pulumi.yaml and chosen stack files, pointed at the emulator and at
 * rendered manifests (an `edit` may point a stack at a cluster instead), whose program is the repository's own
 * index.ts as compiled to dist/ (build/program.js, as in the project's Pulumi.yaml). Tests then run the real program
 * without touching stacks/ in the working tree.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseDocument, type Document } from "yaml";
import { repoRoot, scratchDir } from "./pulumiEngine";

export interface ProjectCopy {
  dir: string;
  renderDir(stack: string): string;
  remove(): void;
}

/** `edit` may change a stack file further (e.g. to break a rule on purpose). */
export function copyProject(
  stacks: string[],
  emulatorUrl: string,
  edit: (stack: string, doc: Document) => void = () => undefined,
): ProjectCopy {
  const dir = scratchDir("project");
  fs.mkdirSync(path.join(dir, "stacks"));
  fs.writeFileSync(
    path.join(dir, "Pulumi.yaml"),
    [
      "name: amb-cce-connect",
      "runtime:",
      "  name: nodejs",
      "  options:",
      "    typescript: false",
      `main: ${path.join(repoRoot, "build", "program.js")}`,
      "stackConfigDir: stacks",
      "",
    ].join("\n"),
  );
  for (const stack of stacks) {
    const doc = parseDocument(fs.readFileSync(path.join(repoRoot, "stacks", `Pulumi.${stack}.yaml`), "utf8"));
    doc.deleteIn(["encryptionsalt"]);
    doc.deleteIn(["config", "webexconnect:region"]);
    doc.setIn(["config", "webexconnect:baseUrl"], emulatorUrl);
    doc.setIn(["config", "amb-cce-connect:kubernetes", "context"], undefined);
    doc.deleteIn(["config", "amb-cce-connect:kubernetes", "context"]);
    doc.deleteIn(["config", "amb-cce-connect:kubernetes", "skipAwait"]);
    doc.setIn(
      ["config", "amb-cce-connect:kubernetes", "renderYamlToDirectory"],
      path.join(dir, "rendered", stack),
    );
    edit(stack, doc);
    fs.writeFileSync(path.join(dir, "stacks", `Pulumi.${stack}.yaml`), doc.toString());
  }
  return {
    dir,
    renderDir: (stack) => path.join(dir, "rendered", stack),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
