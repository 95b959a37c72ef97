/**
 * A small seeded pseudo-random generator, so that a run is a pure function of its seed.
 * Nothing here (or anywhere in the simulation) may call Math.random or read the clock.
 */

/** mulberry32: 32 bits of state, full period, plenty for simulated users. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes integers into one well-spread 32-bit seed (murmur3's finalizer per part). */
export function mixSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    let k = Math.imul(part | 0, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const HEX = '0123456789abcdef';

/** Convenience draws on top of mulberry32. */
export class Rng {
  readonly #next: () => number;

  constructor(seed: number) {
    this.#next = mulberry32(seed);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.#next();
  }

  /** Uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.#next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.#next() < probability;
  }

  pick<T>(values: readonly T[]): T {
    return values[Math.floor(this.#next() * values.length)];
  }

  /** Picks by weight; `weight` reads each value's weight. */
  weighted<T>(values: readonly T[], weight: (value: T) => number): T {
    let total = 0;
    for (const value of values) total += weight(value);
    let point = this.#next() * total;
    for (const value of values) {
      point -= weight(value);
      if (point < 0) return value;
    }
    return values[values.length - 1];
  }

  /** Log-normal around a median, clamped: dwell times and the like. */
  logNormal(median: number, sigma: number, min: number, max: number): number {
    // Box-Muller; 1 - next() keeps the logarithm finite.
    const u = 1 - this.#next();
    const v = this.#next();
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return Math.min(
      max,
      Math.max(min, Math.round(median * Math.exp(sigma * z))),
    );
  }

  hex(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += HEX[Math.floor(this.#next() * 16)];
    return out;
  }

  /** A version-4 UUID (lower case), as `uuid.v4()` / `UUID.randomUUID()` produce. */
  uuid(): string {
    const h = this.hex(32).split('');
    h[12] = '4';
    h[16] = HEX[(parseInt(h[16], 16) & 0x3) | 0x8];
    const s = h.join('');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(
      16,
      20,
    )}-${s.slice(20)}`;
  }
}
