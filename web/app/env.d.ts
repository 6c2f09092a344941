// Modules and constants the build (web/build.mjs) provides.
// One language's texts (i18n:catalogue/en, /ru, /es), a chunk of its own.
declare module "i18n:catalogue/*" {
  const texts: Record<string, string>;
  export default texts;
}

// The folder (relative to the page) holding the emoji picker's data, one <lang>.json each.
declare const __EMOJI_DATA__: string;

// The URL of pdf.js's worker, served from the bundle's assets (web/build.mjs).
declare const __PDF_WORKER__: string;

// The URL of the worker that loads the browser's locale data as the chat window starts
// (app/intlWarm.ts, built beside the bundle's assets by web/build.mjs).
declare const __INTL_WORKER__: string;

// Stylesheets are bundled by esbuild.
declare module "*.css";
