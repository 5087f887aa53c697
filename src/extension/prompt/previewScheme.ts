/**
 * The scheme of the read-only documents a rewrite shows before it is applied (the optimize diff's right side, the
 * compression report): virtual copies of a file, so the Problems panel must not list their findings a second time.
 */
export const PREVIEW_SCHEME = 'pepperpy-preview';
