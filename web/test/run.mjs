// Runs the front end's unit tests (web/test/*.test.ts{,x}) with node's test runner: each file is
// bundled for node first, with the same catalogue the app gets.
import * as esbuild from "esbuild";
import { readdir, rm } from "node:fs/promises";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { catalogue } from "../catalogue.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, "../../node_modules/.cache/webtest");
await rm(out, { recursive: true, force: true });
const files = (await readdir(here)).filter((f) => /\.test\.tsx?$/.test(f));
await esbuild.build({
  entryPoints: files.map((f) => path.join(here, f)),
  bundle: true, platform: "node", format: "esm", outdir: out, outExtension: { ".js": ".mjs" },
  jsx: "automatic", jsxImportSource: "preact", define: { __EMOJI_DATA__: '"/app/assets/emoji/"', __PDF_WORKER__: '"/app/assets/pdf/pdf.worker.min.mjs"' },
  plugins: [catalogue(["app.", "error."])], logLevel: "warning",
});
const built = files.map((f) => path.join(out, f.replace(/\.tsx?$/, ".mjs")));
const r = spawnSync(process.execPath, ["--test", ...built], { stdio: "inherit" });
process.exit(r.status ?? 1);
