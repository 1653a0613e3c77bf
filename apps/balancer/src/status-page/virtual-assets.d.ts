/** Built by asset-build.ts at bundle time (tsup) and test time (vitest). */
declare module 'virtual:lbpoc-status-page' {
  const assets: { readonly html: string; readonly js: string; readonly css: string; readonly icon: string };
  export default assets;
}
