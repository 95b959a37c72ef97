import { RE2JS } from 're2js';
import { z } from 'zod';
import { corsOriginSchema } from './app';
import { ProjectTargetType } from './project';
import {
  ExecutionState,
  PipelineAction,
  PipelineStatus,
  StackState,
} from './status';

const arn = (what: string, service: string) =>
  z
    .string({ required_error: `${what} is required` })
    .regex(
      new RegExp(`^arn:aws[a-z-]*:${service}:`),
      `${what} must be an ARN of ${service}`,
    );

/** A regular expression a channel rule tests a traffic source field with. */
/**
 * A project's traffic rule pattern: RE2 syntax, matched in linear time whatever the input, so
 * an owner's pattern can never hold the backend (no backreferences or lookaround).
 */
const regex = (field: string) =>
  z
    .string()
    .max(500)
    .superRefine((pattern, ctx) => {
      try {
        RE2JS.compile(pattern);
      } catch (e) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `trafficSourceRules.channels.${field} must be a valid RE2 regular expression (${
            (e as Error).message
          })`,
        });
      }
    });

/** Where the collector writes what it accepts. @public */
export const sinkSchema = z.discriminatedUnion(
  'type',
  [
    // Append-only segment files on the backend's disk (embedded runtime).
    z.object({ type: z.literal('local') }).strict(),
    z
      .object({
        type: z.literal('kinesis'),
        mode: z.enum(['ON_DEMAND', 'PROVISIONED']).default('ON_DEMAND'),
        shardCount: z.number().int().min(1).max(500).default(2),
        retentionHours: z.number().int().min(24).max(8760).default(24),
        // An interface endpoint for Kinesis in the collector's VPC: about $22 a month in three
        // zones, against the NAT gateway's charge per gigabyte (worth it from about 130 RPS).
        vpcEndpoint: z.boolean().default(false),
      })
      .strict(),
    z
      .object({
        type: z.literal('msk'),
        clusterArn: z
          .string({ required_error: 'sink.clusterArn is required for msk' })
          .regex(
            /^arn:aws[a-z-]*:kafka:[a-z0-9-]+:\d{12}:cluster\/[^/]+\/[^/]+$/,
            'sink.clusterArn must be an MSK cluster ARN (arn:aws:kafka:<region>:<account>:cluster/<name>/<id>)',
          ),
        topic: z
          .string({ required_error: 'sink.topic is required for msk' })
          .regex(
            /^[a-zA-Z0-9._-]{1,249}$/,
            'sink.topic must be a Kafka topic name',
          ),
      })
      .strict(),
    z
      .object({
        type: z.literal('s3'),
        bufferSizeMb: z.number().int().min(1).max(50).default(10),
        bufferIntervalSeconds: z.number().int().min(60).max(3600).default(300),
      })
      .strict(),
  ],
  {
    errorMap: () => ({
      message: "ingestion.sink.type must be 'local', 'kinesis', 'msk' or 's3'",
    }),
  },
);
/** @public */
export type SinkConfig = z.infer<typeof sinkSchema>;

/** The warehouse the modeling stage loads into. @public */
export const warehouseSchema = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('duckdb') }).strict(),
    z
      .object({
        type: z.literal('redshift-serverless'),
        // Redshift Serverless base capacity, in RPUs (8 to 512, in steps of 8).
        baseRpu: z
          .number()
          .int()
          .min(8)
          .max(512)
          .refine(n => n % 8 === 0, 'baseRpu must be a multiple of 8')
          .default(8),
      })
      .strict(),
    z
      .object({
        type: z.literal('redshift-serverless-existing'),
        workgroupName: z.string().min(3).max(64),
        iamRoleArn: arn('warehouse.iamRoleArn', 'iam'),
      })
      .strict(),
    z
      .object({
        type: z.literal('redshift-provisioned'),
        clusterIdentifier: z.string().regex(/^[a-z][a-z0-9-]{0,62}$/),
        dbUser: z.string().min(1).max(128),
        // The role COPY reads the data lake with (one of the cluster's roles); left out, the
        // cluster's default IAM role, which must then be given read access by hand.
        iamRoleArn: arn('warehouse.iamRoleArn', 'iam').optional(),
      })
      .strict(),
  ],
  {
    errorMap: () => ({
      message:
        "modeling.warehouse.type must be 'duckdb', 'redshift-serverless', 'redshift-serverless-existing' or 'redshift-provisioned'",
    }),
  },
);
/** @public */
export type WarehouseConfig = z.infer<typeof warehouseSchema>;

/** How a project's events are collected, processed, modeled and reported. @public */
export const pipelineConfigSchema = z
  .object({
    ingestion: z
      .object({
        endpointPath: z
          .string()
          .regex(
            /^\/[a-zA-Z0-9/_-]*$/,
            'ingestion.endpointPath must be a URL path like /collect',
          )
          .default('/collect'),
        corsOrigins: z.array(corsOriginSchema).default([]),
        size: z
          .object({
            min: z.number().int().min(1).max(100).default(1),
            max: z.number().int().min(1).max(100).default(4),
            cpuTarget: z.number().int().min(10).max(90).default(50),
          })
          .strict()
          .refine(s => s.min <= s.max, {
            message: 'ingestion.size.min must not exceed ingestion.size.max',
          })
          .default({}),
        protocol: z.enum(['HTTP', 'HTTPS']).default('HTTP'),
        domain: z
          .object({
            name: z
              .string()
              .regex(
                /^([a-z0-9-]+\.)+[a-z]{2,}$/i,
                'ingestion.domain.name must be a DNS name',
              ),
            certificateArn: arn('ingestion.domain.certificateArn', 'acm'),
            // A Route 53 hosted zone that holds the name: the stack adds its alias record.
            hostedZoneId: z
              .string()
              .regex(
                /^Z[A-Z0-9]{1,31}$/,
                'ingestion.domain.hostedZoneId must be a Route 53 hosted zone id like Z0123456789ABCDEFGHIJ',
              )
              .optional(),
          })
          .strict()
          .nullable()
          .default(null),
        sink: sinkSchema.default({ type: 'local' }),
        // An existing VPC to run in (aws): public subnets for the load balancer, private
        // subnets with a route to the internet for the collector and the warehouse.
        vpc: z
          .object({
            vpcId: z
              .string()
              .regex(
                /^vpc-[0-9a-f]{8,17}$/,
                'ingestion.vpc.vpcId must be a VPC id like vpc-0123456789abcdef0',
              ),
          })
          .strict()
          .nullable()
          .default(null),
        // A web application firewall in front of the collector (aws), limiting each client IP.
        waf: z
          .object({
            requestsPer5MinutesPerIp: z
              .number()
              .int()
              .min(
                100,
                'ingestion.waf.requestsPer5MinutesPerIp must be at least 100',
              )
              .max(2_000_000_000)
              .default(3000),
          })
          .strict()
          .nullable()
          .default(null),
      })
      .strict()
      .refine(i => i.protocol === 'HTTP' || i.domain !== null, {
        message:
          'ingestion.protocol HTTPS needs ingestion.domain (name and certificateArn)',
        path: ['protocol'],
      })
      .default({}),
    processing: z
      .object({
        dataFreshnessHours: z.number().int().min(1).max(8760).default(72),
        // How often processing runs on AWS (an EventBridge schedule expression);
        // the embedded runtime processes continuously in micro-batches.
        scheduleExpression: z
          .string()
          .regex(
            /^(rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\(.+\))$/,
            'processing.scheduleExpression must be rate(...) or cron(...)',
          )
          .default('rate(1 hour)'),
        enrichments: z
          .object({
            userAgent: z.boolean().default(true),
            ipGeo: z.boolean().default(true),
            trafficSource: z.boolean().default(true),
            botFlag: z.boolean().default(true),
          })
          .strict()
          .default({}),
        // The project's own traffic source rules, tried before the built-in ones.
        trafficSourceRules: z
          .object({
            categories: z
              .array(
                z
                  .object({
                    // A host, or a host and a path: `bing.com/images/search`.
                    domain: z.string().min(1).max(500),
                    source: z.string().min(1).max(100),
                    category: z.string().min(1).max(50),
                    // The query parameters that carry a search engine's terms.
                    params: z
                      .array(z.string().min(1).max(50))
                      .max(10)
                      .optional(),
                  })
                  .strict(),
              )
              .max(200, 'at most 200 traffic source category rules')
              .default([]),
            channels: z
              .array(
                z
                  .object({
                    channel: z.string().min(1).max(50),
                    source: regex('source').optional(),
                    medium: regex('medium').optional(),
                    campaign: regex('campaign').optional(),
                    content: regex('content').optional(),
                    term: regex('term').optional(),
                    campaignId: regex('campaignId').optional(),
                    clidPlatform: regex('clidPlatform').optional(),
                    clid: regex('clid').optional(),
                    category: regex('category').optional(),
                    referrer: regex('referrer').optional(),
                    referrerHost: regex('referrerHost').optional(),
                  })
                  .strict(),
              )
              .max(100, 'at most 100 channel rules')
              .default([]),
          })
          .strict()
          .default({}),
      })
      .strict()
      .default({}),
    modeling: z
      .object({
        warehouse: warehouseSchema.default({ type: 'duckdb' }),
        dataRetentionDays: z.number().int().min(1).max(3650).default(365),
      })
      .strict()
      .default({}),
    reporting: z
      .discriminatedUnion('type', [
        z.object({ type: z.literal('none') }).strict(),
        z
          .object({
            type: z.literal('quicksight'),
            principalArn: arn('reporting.principalArn', 'quicksight'),
          })
          .strict(),
      ])
      .default({ type: 'none' }),
  })
  .strict();
/** @public */
export type PipelineConfig = z.infer<typeof pipelineConfigSchema>;
/** What a caller sends: every field may be left to its default. @public */
export type PipelineConfigInput = z.input<typeof pipelineConfigSchema>;

/**
 * Checks the rules that tie a configuration to its project's target; returns one message per
 * broken rule (empty when the configuration fits).
 * @public
 */
export function pipelineConfigIssues(
  config: PipelineConfig,
  target: ProjectTargetType,
): string[] {
  const issues: string[] = [];
  const { sink } = config.ingestion;
  const { warehouse } = config.modeling;
  if (target === 'local') {
    if (sink.type !== 'local') {
      issues.push(
        `ingestion.sink.type must be 'local' for a local project (got '${sink.type}')`,
      );
    }
    if (warehouse.type !== 'duckdb') {
      issues.push(
        `modeling.warehouse.type must be 'duckdb' for a local project (got '${warehouse.type}')`,
      );
    }
    if (config.reporting.type !== 'none') {
      issues.push(
        "reporting.type must be 'none' for a local project: dashboards are shown in Backstage",
      );
    }
    // What only the AWS stacks read: refused when set, rather than saved and silently ignored.
    const defaults = defaultPipelineConfig('local');
    const awsOnly: Array<[string, unknown, unknown]> = [
      ['ingestion.vpc', config.ingestion.vpc, defaults.ingestion.vpc],
      ['ingestion.waf', config.ingestion.waf, defaults.ingestion.waf],
      ['ingestion.domain', config.ingestion.domain, defaults.ingestion.domain],
      [
        'ingestion.protocol',
        config.ingestion.protocol,
        defaults.ingestion.protocol,
      ],
      ['ingestion.size', config.ingestion.size, defaults.ingestion.size],
      [
        'ingestion.endpointPath',
        config.ingestion.endpointPath,
        defaults.ingestion.endpointPath,
      ],
    ];
    for (const [field, value, unset] of awsOnly) {
      if (JSON.stringify(value) !== JSON.stringify(unset)) {
        issues.push(
          `${field} applies to aws projects only: a local project's collector runs in the backend`,
        );
      }
    }
    if (
      config.processing.scheduleExpression !==
      defaults.processing.scheduleExpression
    ) {
      issues.push(
        'processing.scheduleExpression applies to aws projects only: a local project processes and loads continuously',
      );
    }
  } else {
    if (sink.type === 'local') {
      issues.push(
        "ingestion.sink.type must be 'kinesis', 'msk' or 's3' for an aws project",
      );
    }
    if (warehouse.type === 'duckdb') {
      issues.push(
        'modeling.warehouse.type must be a Redshift option for an aws project',
      );
    }
    if (sink.type === 'msk' && config.ingestion.vpc === null) {
      issues.push(
        "ingestion.vpc.vpcId is required with the msk sink: the collector runs in the MSK cluster's VPC to reach its brokers",
      );
    }
  }
  return issues;
}

/** The configuration a new project starts with. @public */
export function defaultPipelineConfig(
  target: ProjectTargetType,
): PipelineConfig {
  return pipelineConfigSchema.parse(
    target === 'local'
      ? {}
      : {
          ingestion: { sink: { type: 'kinesis' } },
          modeling: { warehouse: { type: 'redshift-serverless' } },
        },
  );
}

/** A link a deployed pipeline offers. @public */
export interface PipelineLink {
  name: string;
  url: string;
}

/** What a deployment produced: where the SDKs send, where the dashboards are. @public */
export interface PipelineOutputs {
  endpointUrl?: string;
  dashboards: PipelineLink[];
}

/** A lifecycle operation in flight. @public */
export interface PipelineOperation {
  action: PipelineAction;
  startedAt: string;
  startedBy: string;
}

/** A project's pipeline: its configuration and the state of its deployment. @public */
export interface Pipeline {
  projectId: string;
  config: PipelineConfig;
  status: PipelineStatus;
  lastAction: PipelineAction | null;
  execution: ExecutionState | null;
  operation: PipelineOperation | null;
  stacks: StackState[];
  outputs: PipelineOutputs;
  /** The version of the suite its stacks run (AWS), once deployed. */
  templateVersion: string | null;
  /**
   * The version an upgrade would move its stacks to: this portal deploys a newer one than they
   * run. Null or left out when there is nothing to upgrade.
   */
  upgradeTo?: string | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** One recorded status transition of a pipeline. @public */
export interface PipelineEvent {
  at: string;
  action: PipelineAction | null;
  fromStatus: PipelineStatus;
  toStatus: PipelineStatus;
  message: string;
  actor: string;
}
