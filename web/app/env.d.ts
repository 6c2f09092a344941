// Modules and constants the build (web/build.mjs) provides.
declare module "i18n:catalogue" {
  const catalogue: Record<"en" | "ru" | "es", Record<string, string>>;
  export default catalogue;
}

// The folder (relative to the page) holding the emoji picker's data, one <lang>.json each.
declare const __EMOJI_DATA__: string;

// The URL of pdf.js's worker, served from the bundle's assets (web/build.mjs).
declare const __PDF_WORKER__: string;

// Stylesheets are bundled by esbuild.
declare module "*.css";
