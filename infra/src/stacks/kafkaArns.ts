/**
 * The ARN of a topic or consumer group of an MSK cluster, for `kafka-cluster:*` permissions:
 * `arn:aws:kafka:<region>:<account>:<kind>/<cluster name>/<cluster uuid>/<name>`.
 */
export function kafkaResourceArn(
  clusterArn: string,
  kind: 'topic' | 'group',
  name: string,
): string {
  const match =
    /^arn:(aws[a-z-]*):kafka:([^:]+):(\d{12}):cluster\/([^/]+\/[^/]+)$/.exec(
      clusterArn,
    );
  if (!match) throw new Error(`not an MSK cluster ARN: ${clusterArn}`);
  const [, partition, region, account, cluster] = match;
  return `arn:${partition}:kafka:${region}:${account}:${kind}/${cluster}/${name}`;
}
