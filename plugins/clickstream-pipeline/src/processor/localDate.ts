/**
 * Converts epoch milliseconds to the `YYYY-MM-DD` day in a time zone. Every zone's offset is a
 * multiple of 15 minutes, so the answer is cached per quarter hour: formatting a date for
 * every event would cost more than the rest of the flattening.
 * @public
 */
export class LocalDates {
  readonly #format: Intl.DateTimeFormat;
  readonly #cache = new Map<number, string>();

  constructor(readonly timeZone: string) {
    this.#format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
  }

  dateOf(ms: number): string {
    const quarter = Math.floor(ms / 900_000);
    let date = this.#cache.get(quarter);
    if (date === undefined) {
      // en-CA formats as YYYY-MM-DD.
      date = this.#format.format(quarter * 900_000);
      if (this.#cache.size > 100_000) this.#cache.clear();
      this.#cache.set(quarter, date);
    }
    return date;
  }
}
