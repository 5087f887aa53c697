/** The engine's version; esbuild replaces `__PEPPERPY_VERSION__` with package.json's. */
declare const __PEPPERPY_VERSION__: string | undefined;
export const ENGINE_VERSION: string = typeof __PEPPERPY_VERSION__ === 'string' ? __PEPPERPY_VERSION__ : '0.0.0-dev';
