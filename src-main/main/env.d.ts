// Replaced at build time by electron-vite (Vite's import.meta.env): true only in the bundle
// `electron-vite dev` builds. Declared here because the main process has no vite/client types.
interface ImportMetaEnv {
  DEV: boolean;
}
interface ImportMeta {
  readonly env: ImportMetaEnv;
}
