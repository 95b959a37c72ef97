import {
  CopyTextButton,
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StructuredMetadataTable,
  WarningPanel,
} from '@backstage/core-components';
import { alertApiRef, useApi, useRouteRef } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  clickstreamPipelineDeployPermission,
  IngestionReport,
  isPipelineBusy,
  isPipelineDeployed,
  Pipeline,
  Project,
} from '@clickstream/backstage-plugin-clickstream-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import { ReactNode, useState } from 'react';
import { clickstreamApiRef } from '../../api';
import { projectIdOf } from '../../conditions';
import { useProjectPipeline } from '../../hooks/useProjectPipeline';
import { PipelineStatusLabel } from '../ProjectsTable/PipelineStatusLabel';
import { projectRouteRef } from '../../routes';
import { HealthChecks } from './HealthChecks';
import {
  cloudFormationUrl,
  ModuleStatus,
  moduleStatuses,
  moduleStatusText,
} from './moduleStatus';

const MODULE_TITLES: Record<string, string> = {
  ingestion: 'Ingestion',
  buffer: 'Buffer',
  processing: 'Processing',
  modeling: 'Modeling',
  reporting: 'Reporting',
};

function ModuleStatusLabel({
  status,
  target,
}: {
  status: ModuleStatus;
  target: 'local' | 'aws';
}) {
  const text = moduleStatusText(status, target);
  switch (status.health) {
    case 'ok':
      return <StatusOK>{text}</StatusOK>;
    case 'running':
      return <StatusRunning>{text}</StatusRunning>;
    case 'failed':
      return <StatusError>{text}</StatusError>;
    case 'removed':
      return <StatusAborted>{text}</StatusAborted>;
    default:
      return <StatusPending>{text}</StatusPending>;
  }
}

/** "12 s ago", "3 min ago", or the date for anything older than a day. */
export function timeAgo(iso: string | number, now = Date.now()): string {
  const at = typeof iso === 'number' ? iso : Date.parse(iso);
  const seconds = Math.max(0, Math.round((now - at) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return new Date(at).toLocaleString();
}

function targetLabel(project: Project): string {
  return project.target.type === 'aws'
    ? `AWS ${project.target.accountId} ${project.target.region}`
    : 'Embedded in Backstage';
}

function traffic(ingestion: IngestionReport | undefined): ReactNode {
  if (!ingestion) return undefined;
  if (!ingestion.lastReceivedAt) return 'No events received yet';
  return `${ingestion.processing.eventsPerMinute.toLocaleString()} events/min, last received ${timeAgo(
    ingestion.lastReceivedAt,
  )}`;
}

type Action = 'deploy' | 'upgrade' | 'retry' | 'delete';

function PipelineActions(props: {
  project: Project;
  pipeline: Pipeline;
  onDone: () => void;
}) {
  const { project, pipeline, onDone } = props;
  const api = useApi(clickstreamApiRef);
  const alertApi = useApi(alertApiRef);
  const { allowed, loading } = usePermission({
    permission: clickstreamPipelineDeployPermission,
    resourceRef: project.id,
  });
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [confirmUpdate, setConfirmUpdate] = useState(false);
  const [confirmUpgrade, setConfirmUpgrade] = useState(false);
  const [running, setRunning] = useState<Action | undefined>();

  const { status } = pipeline;
  const busy = isPipelineBusy(status);
  const deployed = isPipelineDeployed(status);

  async function run(action: Action) {
    setRunning(action);
    try {
      if (action === 'deploy') await api.deployPipeline(project.id);
      else if (action === 'upgrade') await api.upgradePipeline(project.id);
      else if (action === 'retry') await api.retryPipeline(project.id);
      else await api.deletePipeline(project.id);
      alertApi.post({
        message: `${
          {
            deploy: 'Deployment',
            upgrade: 'Upgrade',
            retry: 'Retry',
            delete: 'Deletion',
          }[action]
        } of ${project.id}'s pipeline started`,
        severity: 'success',
        display: 'transient',
      });
    } catch (e) {
      alertApi.post({ message: String(e), severity: 'error' });
    } finally {
      setRunning(undefined);
      onDone();
    }
  }

  const disabled = loading || !allowed || busy || running !== undefined;
  return (
    <Box display="flex" alignItems="center" flexWrap="wrap" style={{ gap: 8 }}>
      {pipeline.upgradeTo && deployed ? (
        // While the stacks run an older version, an update would be refused: upgrade first.
        <Button
          variant="contained"
          color="primary"
          disabled={disabled}
          onClick={() => setConfirmUpgrade(true)}
        >
          Upgrade
        </Button>
      ) : (
        <Button
          variant="contained"
          color="primary"
          disabled={disabled}
          // A redeploy changes what runs: it asks first. A first deployment is what the user came for.
          onClick={() => (deployed ? setConfirmUpdate(true) : run('deploy'))}
        >
          {deployed ? 'Update' : 'Deploy'}
        </Button>
      )}
      {status === 'Failed' && (
        <Button
          variant="outlined"
          disabled={disabled}
          onClick={() => run('retry')}
        >
          Retry
        </Button>
      )}
      {deployed && (
        <Button
          variant="outlined"
          color="secondary"
          disabled={disabled}
          onClick={() => setConfirmDelete(true)}
        >
          Delete
        </Button>
      )}
      {!loading && !allowed && (
        <Typography variant="caption" color="textSecondary">
          You may view this pipeline; its owners can deploy or delete it.
        </Typography>
      )}
      <Dialog open={confirmUpdate} onClose={() => setConfirmUpdate(false)}>
        <DialogTitle>Update the pipeline of {project.id}?</DialogTitle>
        <DialogContent>
          <DialogContentText>
            It applies the current configuration (version {pipeline.version})
            and apps.{' '}
            {project.target.type === 'aws'
              ? 'CloudFormation updates the stacks that changed, which can take half an hour; the collector keeps accepting events meanwhile.'
              : 'The collector and processing restart with it; events sent meanwhile wait in the buffer.'}
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirmUpdate(false)}>Cancel</Button>
          <Button
            color="primary"
            onClick={() => {
              setConfirmUpdate(false);
              run('deploy');
            }}
          >
            Update pipeline
          </Button>
        </DialogActions>
      </Dialog>
      <Dialog open={confirmUpgrade} onClose={() => setConfirmUpgrade(false)}>
        <DialogTitle>
          Upgrade the pipeline of {project.id} to {pipeline.upgradeTo}?
        </DialogTitle>
        <DialogContent>
          <DialogContentText>
            Its stacks run version {pipeline.templateVersion}. CloudFormation
            updates each of them to version {pipeline.upgradeTo} with the
            current configuration, which can take half an hour; the collector
            keeps accepting events meanwhile. If a stack fails, it rolls back
            and keeps serving, and you can run the upgrade again.
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirmUpgrade(false)}>Cancel</Button>
          <Button
            color="primary"
            onClick={() => {
              setConfirmUpgrade(false);
              run('upgrade');
            }}
          >
            Upgrade pipeline
          </Button>
        </DialogActions>
      </Dialog>
      <Dialog open={confirmDelete} onClose={() => setConfirmDelete(false)}>
        <DialogTitle>Delete the pipeline of {project.id}?</DialogTitle>
        <DialogContent>
          <DialogContentText>
            {project.target.type === 'aws'
              ? 'Its stacks are destroyed: the collector stops accepting events and the data in its buffer and warehouse is removed.'
              : 'The collector stops accepting events and its buffer and DuckDB warehouse are removed.'}{' '}
            The project and its apps stay; you can deploy again later.
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirmDelete(false)}>Cancel</Button>
          <Button
            color="secondary"
            onClick={() => {
              setConfirmDelete(false);
              run('delete');
            }}
          >
            Delete pipeline
          </Button>
        </DialogActions>
      </Dialog>
    </Box>
  );
}

/** A project's pipeline: status per module, endpoint, traffic and the actions on it. */
export const PipelineCard = ({
  projectId,
  manageLink,
}: {
  projectId: string;
  /** Where the project's apps and settings are managed, shown as the card's link. */
  manageLink?: string;
}) => {
  const { value, loading, error, reload } = useProjectPipeline(projectId);

  if (loading) {
    return (
      <InfoCard title="Clickstream pipeline">
        <Progress />
      </InfoCard>
    );
  }
  if (error && !value) {
    return (
      <InfoCard title="Clickstream pipeline">
        <ResponseErrorPanel error={error} />
      </InfoCard>
    );
  }
  const { project, pipeline, ingestion, health } = value!;
  const modules = moduleStatuses(pipeline);
  const region = project.target.type === 'aws' ? project.target.region : '';
  const endpoint = pipeline.outputs.endpointUrl;

  const metadata: Record<string, ReactNode> = {
    Status: <PipelineStatusLabel status={pipeline.status} />,
    Target: targetLabel(project),
    Endpoint: endpoint ? (
      <Box display="flex" alignItems="center">
        <code>{endpoint}</code>
        <CopyTextButton text={endpoint} tooltipText="Endpoint copied" />
      </Box>
    ) : (
      'Not deployed yet'
    ),
  };
  if (pipeline.templateVersion) {
    metadata.Version = pipeline.upgradeTo
      ? `${pipeline.templateVersion}, upgrade available: ${pipeline.upgradeTo}`
      : pipeline.templateVersion;
  }
  const trafficText = traffic(ingestion);
  if (trafficText) metadata.Traffic = trafficText;
  for (const m of modules) {
    metadata[MODULE_TITLES[m.module]] =
      region && m.stackName ? (
        <Link to={cloudFormationUrl(region, m.stackName)}>
          <ModuleStatusLabel status={m} target={project.target.type} />
        </Link>
      ) : (
        <ModuleStatusLabel status={m} target={project.target.type} />
      );
  }
  if (health && (health.checks.length > 0 || health.error)) {
    metadata.Health = (
      <HealthChecks checks={health.checks} error={health.error} />
    );
  }
  if (pipeline.outputs.dashboards.length > 0) {
    metadata.Dashboards = (
      <>
        {pipeline.outputs.dashboards.map(d => (
          <div key={d.url}>
            <Link to={d.url}>{d.name}</Link>
          </div>
        ))}
      </>
    );
  }

  return (
    <InfoCard
      title="Clickstream pipeline"
      subheader={`Project ${project.id}`}
      deepLink={
        manageLink
          ? { title: 'Manage apps and settings', link: manageLink }
          : undefined
      }
    >
      {pipeline.lastError && (
        <Box mb={2}>
          <WarningPanel
            severity="error"
            title="The last operation failed"
            message={pipeline.lastError}
          />
        </Box>
      )}
      {ingestion?.processing.lastError && (
        <Box mb={2}>
          <WarningPanel
            title="Processing is retrying a batch"
            message={ingestion.processing.lastError}
          />
        </Box>
      )}
      <StructuredMetadataTable metadata={metadata} dense />
      <Box mt={2}>
        <PipelineActions
          project={project}
          pipeline={pipeline}
          onDone={reload}
        />
      </Box>
    </InfoCard>
  );
};

/** The pipeline of the project an entity stands for. */
export const EntityPipelineCard = () => {
  const { entity } = useEntity();
  const projectId = projectIdOf(entity)!;
  const projectRoute = useOptionalRouteRef(projectRouteRef);
  return (
    <PipelineCard
      projectId={projectId}
      manageLink={projectRoute?.({ projectId })}
    />
  );
};

/**
 * The route to a project's page, or undefined in an app that does not mount the Clickstream
 * page (an entity page works without it).
 */
function useOptionalRouteRef(routeRef: typeof projectRouteRef) {
  try {
    return useRouteRef(routeRef);
  } catch {
    return undefined;
  }
}
