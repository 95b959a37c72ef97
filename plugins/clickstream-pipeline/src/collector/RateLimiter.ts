/** A token bucket per key: `rate` requests a second on average, bursts up to `burst`. */
export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly rate: number,
    private readonly burst: number = rate * 2,
    private readonly maxKeys: number = 100_000,
  ) {
    if (!(rate > 0) || !(this.burst >= 1)) {
      throw new RangeError(
        'a rate limit needs a positive rate and a burst of at least 1',
      );
    }
  }

  /** Takes a token for `key`; returns 0 when allowed, else the seconds until one is free. */
  take(key: string, now = Date.now()): number {
    let bucket = this.#buckets.get(key);
    if (bucket) {
      bucket.tokens = Math.min(
        this.burst,
        bucket.tokens + ((now - bucket.at) / 1000) * this.rate,
      );
      bucket.at = now;
      // Re-insert so the map's order is least recently used first.
      this.#buckets.delete(key);
    } else {
      bucket = { tokens: this.burst, at: now };
      if (this.#buckets.size >= this.maxKeys) {
        // Forget the least recently seen keys: a bounded memory under many addresses.
        const drop = Math.ceil(this.maxKeys / 10);
        for (const old of this.#buckets.keys()) {
          this.#buckets.delete(old);
          if (this.#buckets.size <= this.maxKeys - drop) break;
        }
      }
    }
    this.#buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / this.rate);
  }
}
