import { type BuildOptions, build } from "esbuild";

/**
 * A script for a child process, compiled once as tsx compiles it (esbuild) into one ESM file whose
 * packages stay imports of node_modules (so `outfile` must lie inside the project). The child then
 * starts without tsx's loader thread, its resolution and its cache reads: about 1 s of CPU a start.
 */
export async function compileNodeScript(
  source: Pick<BuildOptions, "entryPoints" | "stdin">,
  outfile: string,
): Promise<void> {
  await build({
    ...source,
    outfile,
    bundle: true,
    packages: "external",
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "error",
  });
}
