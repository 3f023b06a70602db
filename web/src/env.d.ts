/** Values the console build (web/build.mjs) defines at bundle time. */
interface ImportMeta {
  readonly env: { readonly BASE_URL: string };
}
