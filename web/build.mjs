// Bundles the front ends into web/dist/<name>/: index.html, and assets/ whose file names carry a
// content hash (the Go server caches those for a year). Every text asset gets a .gz twin that
// the server sends to browsers accepting gzip. The i18n catalogue is shared with the server; each
// front end keeps only its own keys (and error texts) to stay small.
import * as esbuild from "esbuild";
import { mkdir, readFile, rm, writeFile, copyFile, readdir, stat } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { catalogue } from "./catalogue.mjs";

const root = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(root, "dist");
const langs = ["en", "ru", "es"];

// The emoji picker's data comes from this package, served by the hub: there is no CDN to reach.
const emojiPkg = JSON.parse(await readFile(path.join(root, "../node_modules/emoji-picker-element-data/package.json"), "utf8"));
// pdf.js draws PDF previews in the chat window; its worker is copied beside the assets, under
// the package's version, and loaded only when a preview opens.
const pdfPkg = JSON.parse(await readFile(path.join(root, "../node_modules/pdfjs-dist/package.json"), "utf8"));

const apps = [
  // The chat window's create form marks a broken connection with the cabinet's words for its state.
  { name: "app", entry: "app/main.tsx", title: "Switchboard", keys: ["app.", "error.", "cabinet.state."], emoji: true, pdf: true,
    intlWorker: "app/intlWarm.ts" },
  // The cabinet reuses the chat window's HTTP and i18n helpers, hence their app.error.* texts.
  { name: "cabinet", entry: "cabinet/main.tsx", title: "Switchboard · Cabinet", keys: ["cabinet.", "error.", "app.error.", "app.unit."] },
];

async function gzipTree(dir) {
  for (const entry of await readdir(dir)) {
    const file = path.join(dir, entry);
    if ((await stat(file)).isDirectory()) {
      await gzipTree(file);
    } else if (/\.(m?js|css|html|json|svg|map)$/.test(entry)) {
      await writeFile(file + ".gz", gzipSync(await readFile(file), { level: 9 }));
    }
  }
}

async function buildApp(app) {
  const out = path.join(dist, app.name);
  await rm(out, { recursive: true, force: true });
  await mkdir(path.join(out, "assets"), { recursive: true });
  const emojiDir = `emoji-${emojiPkg.version}`;
  const pdfDir = `pdf-${pdfPkg.version}`;
  const target = ["es2020", "chrome100", "firefox100", "safari15"];
  // The worker that loads the browser's locale data while the window starts: a script of its
  // own, which the entry starts by its URL.
  const define = {
    __EMOJI_DATA__: JSON.stringify(`/${app.name}/assets/${emojiDir}/`),
    __PDF_WORKER__: JSON.stringify(`/${app.name}/assets/${pdfDir}/pdf.worker.min.mjs`),
  };
  if (app.intlWorker) {
    const worker = await esbuild.build({
      entryPoints: [path.join(root, app.intlWorker)], bundle: true, format: "iife", minify: true, target,
      outdir: path.join(out, "assets"), entryNames: "[name]-[hash]", metafile: true, logLevel: "warning",
    });
    define.__INTL_WORKER__ = JSON.stringify(`/${app.name}/assets/` + path.basename(Object.keys(worker.metafile.outputs)[0]));
  }
  const result = await esbuild.build({
    entryPoints: [path.join(root, app.entry)],
    bundle: true,
    splitting: true,
    format: "esm",
    minify: true,
    // Texts as they are (a module script is always UTF-8): Russian escaped as \uXXXX took
    // three times the bytes of its UTF-8.
    charset: "utf8",
    sourcemap: false,
    target,
    outdir: path.join(out, "assets"),
    entryNames: "[name]-[hash]",
    chunkNames: "[name]-[hash]",
    assetNames: "[name]-[hash]",
    jsx: "automatic",
    jsxImportSource: "preact",
    metafile: true,
    define,
    plugins: [catalogue(app.keys)],
    logLevel: "warning",
  });
  // Emoji data per language, under a versioned folder so it can be cached like hashed assets.
  if (app.emoji) {
    await mkdir(path.join(out, "assets", emojiDir), { recursive: true });
    for (const lang of langs) {
      await copyFile(path.join(root, "../node_modules/emoji-picker-element-data", lang, "cldr/data.json"),
        path.join(out, "assets", emojiDir, lang + ".json"));
    }
  }
  if (app.pdf) {
    await mkdir(path.join(out, "assets", pdfDir), { recursive: true });
    await copyFile(path.join(root, "../node_modules/pdfjs-dist/build/pdf.worker.min.mjs"), path.join(out, "assets", pdfDir, "pdf.worker.min.mjs"));
  }
  const outputs = Object.entries(result.metafile.outputs);
  const entry = outputs.find(([, o]) => o.entryPoint)?.[0];
  const css = outputs.find(([f, o]) => f.endsWith(".css") && o.entryPoint === undefined && f.includes("main"))?.[0];
  const rel = (f) => `/${app.name}/assets/` + path.basename(f);
  // The entry's static imports are announced up front, so they load alongside it instead of
  // after it has been parsed (the first load, docs/performance.md).
  const preload = (result.metafile.outputs[entry].imports ?? []).filter((i) => i.kind === "import-statement")
    .map((i) => `<link rel="modulepreload" href="${rel(i.path)}">`).join("");
  const html = (extra) => `<!doctype html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${app.title}</title><link rel="icon" href="data:,">
${css ? `<link rel="stylesheet" href="${rel(css)}">` : ""}
<script type="module" src="${rel(entry)}"></script>${preload}${extra}
</head><body><div id="root"></div></body></html>
`;
  await writeFile(path.join(out, "index.html"), html(""));
  // A page per language announcing that language's texts too (catalogue.mjs): the hub answers
  // it to an address naming the language (?lang=, web/serve.go), so the texts load alongside the
  // bundle instead of once it runs.
  for (const lang of langs) {
    const texts = outputs.find(([f]) => path.basename(f).startsWith(`catalogue-${lang}-`))?.[0];
    if (texts) await writeFile(path.join(out, `index.${lang}.html`), html(`<link rel="modulepreload" href="${rel(texts)}">`));
  }
  await gzipTree(out);
  // The initial bundle: index.html, the entry script and its static imports, the stylesheet.
  const initial = new Set([entry, css].filter(Boolean));
  for (const f of [...initial]) for (const imp of result.metafile.outputs[f].imports ?? []) if (imp.kind === "import-statement") initial.add(imp.path);
  let gz = (await readFile(path.join(out, "index.html.gz"))).length;
  for (const f of initial) gz += (await readFile(path.resolve(f) + ".gz")).length;
  console.log(`${app.name}: initial bundle ${(gz / 1024).toFixed(1)} KB gzipped (${initial.size} files + index.html)`);
}

for (const app of apps) await buildApp(app);
