// An esbuild plugin: `import("i18n:catalogue/<lang>")` gives that language's texts from the
// shared catalogue (internal/i18n/locales), keeping only the keys that start with one of
// prefixes; each language is a module of its own, so a bundle splits it into a chunk fetched
// when the language is needed (app/i18n.ts).
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const locales = path.join(path.dirname(fileURLToPath(import.meta.url)), "../internal/i18n/locales");
const langs = ["en", "ru", "es"];

export function catalogue(prefixes) {
  return {
    name: "catalogue",
    setup(build) {
      // The module's path names the chunk: catalogue-<lang>-<hash>.js.
      build.onResolve({ filter: /^i18n:catalogue\/[a-z]+$/ }, (args) => {
        const lang = args.path.split("/")[1];
        if (!langs.includes(lang)) return { errors: [{ text: `no catalogue for ${lang}` }] };
        return { path: "catalogue-" + lang, namespace: "i18n", pluginData: lang };
      });
      build.onLoad({ filter: /.*/, namespace: "i18n" }, async (args) => {
        const file = path.join(locales, args.pluginData + ".json");
        const all = JSON.parse(await readFile(file, "utf8"));
        const texts = Object.fromEntries(Object.entries(all).filter(([k]) => prefixes.some((p) => k.startsWith(p))));
        return { contents: JSON.stringify(texts), loader: "json", watchFiles: [file] };
      });
    },
  };
}
