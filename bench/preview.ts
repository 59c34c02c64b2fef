/** The no-op preview benchmark of bench/run.ts: the full stack's preview against the floors of bench/floors.ts. */
import { median, round, RUNS, seconds, timed, type Figure, type World } from "./common";
import { EMPTY_PROGRAM, floorProject, PRODUCT_FLOOR_PROGRAM } from "./floors";

export const PREVIEW_FIGURE = "no-op preview overhead";

/**
 * 1. A no-op preview of the full stack against the engine's floor, a preview of an empty program; and against the
 * product's floor, a program with one idle resource of each provider every stack has (bench/floors.ts).
 */
export async function noOpPreviewOverhead(world: World): Promise<Figure> {
  const empty = await floorProject(world, "empty", EMPTY_PROGRAM);
  const productFloor = await floorProject(world, "product-floor", PRODUCT_FLOOR_PROGRAM);
  const runs = { full: [] as number[], empty: [] as number[], productFloor: [] as number[] };
  for (let i = 0; i < RUNS; i++) {
    runs.empty.push(await timed(() => world.pulumi(["preview", "--expect-no-changes"], "empty", empty)));
    runs.productFloor.push(
      await timed(() => world.pulumi(["preview", "--expect-no-changes"], "product-floor", productFloor)),
    );
    runs.full.push(await timed(() => world.pulumi(["preview", "--expect-no-changes"])));
  }
  const [full, emptyMs, productFloorMs] = [median(runs.full), median(runs.empty), median(runs.productFloor)];
  const value = full / emptyMs;
  return {
    name: PREVIEW_FIGURE,
    value,
    target: "≤ 1.5",
    met: value <= 1.5,
    absolute: `${seconds(full)} ÷ ${seconds(emptyMs)}`,
    detail: {
      fullStackMs: full,
      emptyProgramMs: emptyMs,
      productFloorMs,
      productFloorOverEmptyProgram: round(productFloorMs / emptyMs),
      fullStackOverProductFloor: round(full / productFloorMs),
      runs: RUNS,
    },
  };
}
