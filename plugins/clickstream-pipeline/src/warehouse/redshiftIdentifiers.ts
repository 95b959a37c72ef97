/**
 * Amazon Redshift's reserved words (its documentation's list, "Reserved words"). A column of
 * ours that is one of them must be written as a delimited identifier in Redshift SQL: one bare
 * `raw` in a CREATE TABLE rolls the whole schema transaction back.
 */
export const REDSHIFT_RESERVED_WORDS: ReadonlySet<string> = new Set(
  `AES128 AES256 ALL ALLOWOVERWRITE ANALYSE ANALYZE AND ANY ARRAY AS ASC AUTHORIZATION AZ64
  BACKUP BETWEEN BINARY BLANKSASNULL BOTH BYTEDICT BZIP2 CASE CAST CHECK COLLATE COLUMN
  CONSTRAINT CREATE CREDENTIALS CROSS CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP CURRENT_USER
  CURRENT_USER_ID DEFAULT DEFERRABLE DEFLATE DEFRAG DELTA DELTA32K DESC DISABLE DISTINCT DO ELSE
  EMPTYASNULL ENABLE ENCODE ENCRYPT ENCRYPTION END EXCEPT EXPLICIT FALSE FOR FOREIGN FREEZE FROM
  FULL GLOBALDICT256 GLOBALDICT64K GRANT GROUP GZIP HAVING IDENTITY IGNORE ILIKE IN INITIALLY
  INNER INTERSECT INTERVAL INTO IS ISNULL JOIN LEADING LEFT LIKE LIMIT LOCALTIME LOCALTIMESTAMP
  LUN LUNS LZO LZOP MINUS MOSTLY16 MOSTLY32 MOSTLY8 NATURAL NEW NOT NOTNULL NULL NULLS OFF
  OFFLINE OFFSET OID OLD ON ONLY OPEN OR ORDER OUTER OVERLAPS PARALLEL PARTITION PERCENT
  PERMISSIONS PIVOT PLACING PRIMARY RAW READRATIO RECOVER REFERENCES REJECTLOG RESORT RESPECT
  RESTORE RIGHT SELECT SESSION_USER SIMILAR SNAPSHOT SOME SYSDATE SYSTEM TABLE TAG TDES TEXT255
  TEXT32K THEN TIMESTAMP TO TOP TRAILING TRUE TRUNCATECOLUMNS UNION UNIQUE UNNEST UNPIVOT USER
  USING VERBOSE WALLET WHEN WHERE WITH WITHOUT`.split(/\s+/),
);

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
