/**
 * What a pipeline option can point at in a project's cloud account, listed for the pickers of
 * the guided pipeline form: existing VPCs, MSK clusters, Redshift Serverless workgroups,
 * provisioned Redshift clusters and QuickSight users.
 * @public
 */
export const ACCOUNT_RESOURCE_KINDS = [
  'vpcs',
  'mskClusters',
  'redshiftWorkgroups',
  'redshiftClusters',
  'quickSightUsers',
] as const;

/** One of {@link ACCOUNT_RESOURCE_KINDS}. @public */
export type AccountResourceKind = (typeof ACCOUNT_RESOURCE_KINDS)[number];

/** One thing in the account a picker offers. @public */
export interface AccountResource {
  /** What the option takes: an id, a name or an ARN. */
  value: string;
  /** What people know it by (its Name tag, its name). */
  label: string;
  /** One line more: its network, size or state. */
  description?: string;
}

/** Whether a text names one of {@link ACCOUNT_RESOURCE_KINDS}. @public */
export function isAccountResourceKind(
  kind: string,
): kind is AccountResourceKind {
  return (ACCOUNT_RESOURCE_KINDS as readonly string[]).includes(kind);
}
