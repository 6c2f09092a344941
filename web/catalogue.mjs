// An esbuild plugin: `import catalogue from "i18n:catalogue"` gives { en, ru, es } from the shared
// catalogue (internal/i18n/locales), keeping only the keys that start with one of prefixes.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const locales = path.join(path.dirname(fileURLToPath(import.meta.url)), "../internal/i18n/locales");
const langs = ["en", "ru", "es"];

export function catalogue(prefixes) {
  return {
    name: "catalogue",
    setup(build) {
      build.onResolve({ filter: /^i18n:catalogue$/ }, (args) => ({ path: args.path, namespace: "i18n" }));
      build.onLoad({ filter: /.*/, namespace: "i18n" }, async () => {
        const out = {};
        for (const lang of langs) {
          const all = JSON.parse(await readFile(path.join(locales, lang + ".json"), "utf8"));
          out[lang] = Object.fromEntries(Object.entries(all).filter(([k]) => prefixes.some((p) => k.startsWith(p))));
        }
        return { contents: JSON.stringify(out), loader: "json", watchFiles: langs.map((l) => path.join(locales, l + ".json")) };
      });
    },
  };
}
