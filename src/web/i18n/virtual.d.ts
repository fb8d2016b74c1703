/** Parts of id.json / en.json made by the jkp-i18n-parts plugin in vite.config.ts. */
declare module 'virtual:jkp-i18n/*' {
  const texts: Record<string, unknown>;
  export default texts;
}
