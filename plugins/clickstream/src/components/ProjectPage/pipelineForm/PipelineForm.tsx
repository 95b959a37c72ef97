import { ProjectTargetType } from '@clickstream/backstage-plugin-clickstream-common';
import Box from '@material-ui/core/Box';
import Checkbox from '@material-ui/core/Checkbox';
import Divider from '@material-ui/core/Divider';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { ReactNode, useContext } from 'react';
import { Draft, getIn } from './draft';
import {
  DraftContext,
  LinesInput,
  NumberInput,
  ResourceInput,
  SelectInput,
  SwitchInput,
  TextInput,
} from './fields';
import { CategoryRulesInput, ChannelRulesInput } from './TrafficRulesInput';

function Section(props: { title: string; about: string; children: ReactNode }) {
  return (
    <Box component="section" mt={2} aria-label={props.title}>
      <Typography variant="h6">{props.title}</Typography>
      <Typography variant="body2" color="textSecondary">
        {props.about}
      </Typography>
      {props.children}
      <Box mt={2}>
        <Divider />
      </Box>
    </Box>
  );
}

/** A switch that turns an optional object on (with `value`) or off (`null`). */
function Optional(props: {
  path: string;
  label: string;
  value: Draft;
  children: ReactNode;
}) {
  const state = useContext(DraftContext)!;
  const current = getIn(state.draft, props.path);
  const on = current !== null && current !== undefined;
  return (
    <Box>
      <FormControlLabel
        control={
          <Checkbox
            color="primary"
            checked={on}
            onChange={e =>
              state.set(props.path, e.target.checked ? props.value : null)
            }
          />
        }
        label={props.label}
      />
      {on && <Box pl={4}>{props.children}</Box>}
    </Box>
  );
}

/** The section's variant chooser: another type starts from its own defaults. */
function useVariant(path: string) {
  const state = useContext(DraftContext)!;
  return {
    type: getIn(state.draft, `${path}.type`) as string | undefined,
    choose: (type: string) => state.set(path, { type }),
  };
}

/**
 * The pipeline's options, one section per module, showing only what the project's target
 * offers. Reads and writes the draft of {@link DraftContext}.
 */
export function PipelineForm(props: { target: ProjectTargetType }) {
  const aws = props.target === 'aws';
  const sink = useVariant('ingestion.sink');
  // On demand, Kinesis sizes the stream itself: the shard count applies only when provisioned.
  const kinesisMode = getIn(
    useContext(DraftContext)!.draft,
    'ingestion.sink.mode',
  );
  const warehouse = useVariant('modeling.warehouse');
  const reporting = useVariant('reporting');
  return (
    <>
      <Section
        title="Ingestion"
        about={
          aws
            ? 'The collector: an Application Load Balancer in front of ECS tasks that accept the SDKs’ requests.'
            : 'The collector runs in this Backstage backend, at the project’s endpoint.'
        }
      >
        <LinesInput
          path="ingestion.corsOrigins"
          label="Allowed web origins (CORS), one per line"
          help="Added to each app's own origins, like https://shop.example.com; * allows any."
        />
        {aws && (
          <>
            <Grid container spacing={2}>
              <Grid item xs={12} sm={6}>
                <TextInput
                  path="ingestion.endpointPath"
                  label="Endpoint path"
                  help="Where the SDKs send, under the load balancer's address."
                />
              </Grid>
              <Grid item xs={12} sm={6}>
                <SelectInput
                  path="ingestion.protocol"
                  label="Protocol"
                  options={[
                    { value: 'HTTP', label: 'HTTP' },
                    { value: 'HTTPS', label: 'HTTPS (needs a domain)' },
                  ]}
                />
              </Grid>
            </Grid>
            <Optional
              path="ingestion.domain"
              label="Serve it under my own domain"
              value={{ name: '', certificateArn: '' }}
            >
              <TextInput path="ingestion.domain.name" label="Domain name" />
              <TextInput
                path="ingestion.domain.certificateArn"
                label="ACM certificate ARN"
              />
              <TextInput
                path="ingestion.domain.hostedZoneId"
                label="Route 53 hosted zone id (optional)"
                help="The stack adds the alias record when given."
              />
            </Optional>
            <Box display="flex" flexWrap="wrap" style={{ gap: 16 }}>
              <NumberInput path="ingestion.size.min" label="Fewest tasks" />
              <NumberInput path="ingestion.size.max" label="Most tasks" />
              <NumberInput
                path="ingestion.size.cpuTarget"
                label="Target CPU (%)"
              />
            </Box>
            <Optional
              path="ingestion.vpc"
              label="Run in an existing VPC"
              value={{ vpcId: '' }}
            >
              <ResourceInput
                path="ingestion.vpc.vpcId"
                kind="vpcs"
                label="VPC"
                help="Public subnets for the load balancer, private ones with internet access for the collector and the warehouse."
              />
            </Optional>
            <Optional
              path="ingestion.waf"
              label="Limit each client address with a web application firewall"
              value={{ requestsPer5MinutesPerIp: 3000 }}
            >
              <NumberInput
                path="ingestion.waf.requestsPer5MinutesPerIp"
                label="Requests per 5 minutes per address"
              />
            </Optional>
          </>
        )}
      </Section>

      <Section
        title="Buffer"
        about={
          aws
            ? 'Where the collector writes what it accepts, until processing reads it.'
            : 'Append-only files on the backend’s disk, read by the project’s processing.'
        }
      >
        {aws && (
          <>
            <SelectInput
              path="ingestion.sink.type"
              label="Sink"
              onSelect={sink.choose}
              options={[
                { value: 'kinesis', label: 'Kinesis Data Streams' },
                { value: 'msk', label: 'Amazon MSK (an existing cluster)' },
                { value: 's3', label: 'Amazon S3' },
              ]}
            />
            {sink.type === 'kinesis' && (
              <Box display="flex" flexWrap="wrap" style={{ gap: 16 }}>
                <SelectInput
                  path="ingestion.sink.mode"
                  label="Capacity"
                  options={[
                    { value: 'ON_DEMAND', label: 'On demand' },
                    { value: 'PROVISIONED', label: 'Provisioned' },
                  ]}
                />
                {kinesisMode === 'PROVISIONED' && (
                  <NumberInput
                    path="ingestion.sink.shardCount"
                    label="Shards"
                  />
                )}
                <NumberInput
                  path="ingestion.sink.retentionHours"
                  label="Retention (hours)"
                />
                <SwitchInput
                  path="ingestion.sink.vpcEndpoint"
                  label="Kinesis endpoint in the VPC"
                />
              </Box>
            )}
            {sink.type === 'msk' && (
              <>
                <ResourceInput
                  path="ingestion.sink.clusterArn"
                  kind="mskClusters"
                  label="MSK cluster"
                />
                <TextInput path="ingestion.sink.topic" label="Topic" />
              </>
            )}
            {sink.type === 's3' && (
              <Box display="flex" flexWrap="wrap" style={{ gap: 16 }}>
                <NumberInput
                  path="ingestion.sink.bufferSizeMb"
                  label="Raw object size (MB)"
                  help="The collector closes an object at this size."
                />
                <NumberInput
                  path="ingestion.sink.bufferIntervalSeconds"
                  label="Processing batch window (seconds)"
                  help="How long processing gathers new objects before a run; at most 300 takes effect."
                />
              </Box>
            )}
          </>
        )}
      </Section>

      <Section
        title="Processing"
        about="Validates, flattens and enriches each event before it is loaded."
      >
        <Box display="flex" flexWrap="wrap" style={{ gap: 16 }}>
          <NumberInput
            path="processing.dataFreshnessHours"
            label="Data freshness (hours)"
            help="Events arriving later than this after they happened are dropped and counted."
          />
          {aws && (
            <TextInput
              path="processing.scheduleExpression"
              label="Schedule"
              help="rate(1 hour) or cron(...)"
            />
          )}
        </Box>
        <Box>
          <SwitchInput
            path="processing.enrichments.userAgent"
            label="Device from the user agent"
          />
          <SwitchInput
            path="processing.enrichments.ipGeo"
            label="Location from the IP address"
          />
          <SwitchInput
            path="processing.enrichments.trafficSource"
            label="Traffic source and channel"
          />
          <SwitchInput
            path="processing.enrichments.botFlag"
            label="Flag bots"
          />
        </Box>
        <ChannelRulesInput />
        <CategoryRulesInput />
      </Section>

      <Section
        title="Modeling"
        about={
          aws
            ? 'The warehouse the events are loaded into.'
            : 'A DuckDB file in the backend’s data directory.'
        }
      >
        {aws && (
          <>
            <SelectInput
              path="modeling.warehouse.type"
              label="Warehouse"
              onSelect={warehouse.choose}
              options={[
                {
                  value: 'redshift-serverless',
                  label: 'A new Redshift Serverless workgroup',
                },
                {
                  value: 'redshift-serverless-existing',
                  label: 'An existing Redshift Serverless workgroup',
                },
                {
                  value: 'redshift-provisioned',
                  label: 'An existing provisioned Redshift cluster',
                },
              ]}
            />
            {warehouse.type === 'redshift-serverless' && (
              <NumberInput
                path="modeling.warehouse.baseRpu"
                label="Base capacity (RPUs)"
                help="8 to 512, in steps of 8."
              />
            )}
            {warehouse.type === 'redshift-serverless-existing' && (
              <>
                <ResourceInput
                  path="modeling.warehouse.workgroupName"
                  kind="redshiftWorkgroups"
                  label="Workgroup"
                />
                <TextInput
                  path="modeling.warehouse.iamRoleArn"
                  label="IAM role ARN for COPY"
                />
              </>
            )}
            {warehouse.type === 'redshift-provisioned' && (
              <>
                <ResourceInput
                  path="modeling.warehouse.clusterIdentifier"
                  kind="redshiftClusters"
                  label="Cluster"
                />
                <TextInput
                  path="modeling.warehouse.dbUser"
                  label="Database user"
                />
                <TextInput
                  path="modeling.warehouse.iamRoleArn"
                  label="IAM role ARN for COPY (optional)"
                  help="Left out, the cluster's default role."
                />
              </>
            )}
          </>
        )}
        <NumberInput
          path="modeling.dataRetentionDays"
          label="Keep data for (days)"
        />
      </Section>

      <Section
        title="Reporting"
        about={
          aws
            ? 'QuickSight dashboards on the warehouse, besides the ones in Backstage.'
            : 'The dashboards are shown in Backstage, on the project’s page.'
        }
      >
        {aws && (
          <>
            <SelectInput
              path="reporting.type"
              label="Reporting"
              onSelect={reporting.choose}
              options={[
                { value: 'none', label: 'Dashboards in Backstage only' },
                { value: 'quicksight', label: 'Also in QuickSight' },
              ]}
            />
            {reporting.type === 'quicksight' && (
              <ResourceInput
                path="reporting.principalArn"
                kind="quickSightUsers"
                label="QuickSight owner"
                help="The user who owns the dashboards."
              />
            )}
          </>
        )}
      </Section>
    </>
  );
}
