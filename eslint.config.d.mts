/** Types of the names eslint.config.mjs exports besides its config (read by the layer tests). */
export declare const SRC_MAIN_LAYERS: { layer: string; folders: string[] }[];
export declare const TEST_SUPPORT_FOLDER: string;
export declare const ELECTRON_FOLDERS: string[];
declare const config: unknown[];
export default config;
