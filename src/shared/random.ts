/**
 * The one seeded pseudo-random generator (mulberry32): a 32-bit state, a full period of 2^32,
 * and numbers in [0, 1). Whatever must repeat for a seed uses it: synthetic model inputs and
 * calibration samples, random pruning, the local generator's sampler.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
