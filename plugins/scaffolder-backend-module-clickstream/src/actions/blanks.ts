/** The fields a form left blank (empty strings, nulls) removed, so the API's defaults apply. */
export function withoutBlanks<T extends object>(input: T): T {
  return Object.fromEntries(
    Object.entries(input).filter(
      ([, value]) => value !== '' && value !== null && value !== undefined,
    ),
  ) as T;
}
