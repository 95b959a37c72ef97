import { REDSHIFT_RESERVED_WORDS } from '@clickstream/backstage-plugin-clickstream-common';

/** A column name as Redshift SQL must write it: delimited when it is a reserved word. */
export function redshiftIdentifier(name: string): string {
  return REDSHIFT_RESERVED_WORDS.has(name.toUpperCase()) ? `"${name}"` : name;
}

/**
 * The reserved words a statement uses bare, outside string literals and delimited identifiers,
 * in upper case: what a test compares with the keywords the statement means to use.
 */
export function bareReservedWords(sql: string): string[] {
  const bare = sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"/g, ' ');
  return [
    ...new Set(
      (bare.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [])
        .map(word => word.toUpperCase())
        .filter(word => REDSHIFT_RESERVED_WORDS.has(word)),
    ),
  ];
}
