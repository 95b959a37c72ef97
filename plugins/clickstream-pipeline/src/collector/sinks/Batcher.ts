/** What a batch send reports per item: undefined when taken, else why not (then retried). */
export type BatchOutcome = (Error | undefined)[];

export interface BatcherOptions<T> {
  /** Sends a batch; a thrown error fails (and retries) every item of it. */
  send(items: T[]): Promise<BatchOutcome>;
  maxItems: number;
  maxBytes: number;
  /** How long an item may wait for others to share its call. */
  lingerMs: number;
  /** Attempts per item before its write fails. */
  maxAttempts: number;
}

type Pending<T> = {
  item: T;
  size: number;
  attempts: number;
  resolve: () => void;
  reject: (e: Error) => void;
};

/**
 * Groups writes from concurrent requests into batch calls, resolving each write once its own
 * item was taken and retrying refused items alone, with backoff: the part every AWS sink shares.
 */
export class Batcher<T> {
  #queue: Pending<T>[] = [];
  #bytes = 0;
  #timer?: NodeJS.Timeout;

  constructor(private readonly options: BatcherOptions<T>) {}

  add(item: T, size: number): Promise<void> {
    return new Promise((resolve, reject) =>
      this.#enqueue({ item, size, attempts: 0, resolve, reject }),
    );
  }

  #enqueue(pending: Pending<T>) {
    this.#queue.push(pending);
    this.#bytes += pending.size;
    if (
      this.#queue.length >= this.options.maxItems ||
      this.#bytes >= this.options.maxBytes
    ) {
      this.#flush();
    } else if (!this.#timer) {
      this.#timer = setTimeout(() => this.#flush(), this.options.lingerMs);
    }
  }

  #flush() {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    while (this.#queue.length > 0) {
      const batch: Pending<T>[] = [];
      let bytes = 0;
      while (
        this.#queue.length > 0 &&
        batch.length < this.options.maxItems &&
        (batch.length === 0 ||
          bytes + this.#queue[0].size <= this.options.maxBytes)
      ) {
        const next = this.#queue.shift()!;
        bytes += next.size;
        batch.push(next);
      }
      this.#bytes -= bytes;
      void this.#send(batch);
    }
  }

  async #send(batch: Pending<T>[]) {
    let outcome: BatchOutcome;
    try {
      outcome = await this.options.send(batch.map(p => p.item));
    } catch (e) {
      outcome = batch.map(() => e as Error);
    }
    batch.forEach((pending, i) => {
      const error = outcome[i];
      if (!error) pending.resolve();
      else this.#retry(pending, error);
    });
  }

  #retry(pending: Pending<T>, error: Error) {
    pending.attempts++;
    if (pending.attempts >= this.options.maxAttempts) {
      pending.reject(error);
      return;
    }
    // Exponential backoff with jitter, as throttled services want.
    const delay =
      Math.min(1000, 50 * 2 ** pending.attempts) * (0.5 + Math.random() / 2);
    setTimeout(() => this.#enqueue(pending), delay).unref?.();
  }
}
