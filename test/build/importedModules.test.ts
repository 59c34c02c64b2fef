/** How the build (and the layer check) read a file's imports: every form, `export * as` among them. */
import * as ts from "typescript";
import { importedModules } from "../../build/ensureBuilt";

test("every import form is found, the namespace re-export included", () => {
  const text = [
    'import a from "./a";',
    'import type { B } from "./b";',
    'export * from "./c";',
    'export * as d from "./d";',
    'export { e } from "./e";',
    'import f = require("./f");',
    'const g = require("./g");',
    'const h = import("./h");',
    "const notAnImport = load('./i');",
  ].join("\n");
  expect(importedModules(ts, "x.ts", text)).toEqual(["./a", "./b", "./c", "./d", "./e", "./f", "./g", "./h"]);
});
