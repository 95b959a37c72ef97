import {
  CodeSnippet,
  Content,
  ContentHeader,
  EmptyState,
  Header,
  InfoCard,
  Link,
  Page,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { alertApiRef, useApi, useRouteRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  App,
  Project,
  clickstreamProjectDeletePermission,
  clickstreamProjectUpdatePermission,
} from '@clickstream/backstage-plugin-clickstream-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { clickstreamApiRef } from '../../api';
import { useProjectPipeline } from '../../hooks/useProjectPipeline';
import { PipelineCard } from '../EntityPipelineCard';
import { SdkCard } from '../EntitySdkCard';
import { AddAppDialog } from './AddAppDialog';
import { DeleteAppDialog } from './DeleteAppDialog';
import { DeleteProjectDialog } from './DeleteProjectDialog';
import { EditAppDialog } from './EditAppDialog';
import { EditPipelineDialog } from './EditPipelineDialog';
import { messageOf } from './forms';
import { ProjectSettingsDialog } from './ProjectSettingsDialog';
import { rootRouteRef } from '../../routes';

const appColumns: TableColumn<App>[] = [
  { title: 'App id', field: 'appId', highlight: true },
  { title: 'Name', field: 'name' },
  { title: 'Platforms', render: app => app.platforms.join(', ') },
  { title: 'Time zone', render: app => app.timezone ?? 'UTC' },
  { title: 'Enabled', render: app => (app.enabled ? 'Yes' : 'No') },
];

/** The newer of what the page read and what the API answered to a change of its own. */
function newest<T extends { version: number }>(read: T, answered?: T): T {
  return answered && answered.version > read.version ? answered : read;
}

/** A project: its pipeline, apps, configuration and SDK setup, with the forms to change them. */
export const ProjectPage = () => {
  const { projectId } = useParams() as { projectId: string };
  const entityRoute = useRouteRef(entityRouteRef);
  const rootRoute = useRouteRef(rootRouteRef);
  const navigate = useNavigate();
  const api = useApi(clickstreamApiRef);
  const alertApi = useApi(alertApiRef);
  const { allowed: canUpdate } = usePermission({
    permission: clickstreamProjectUpdatePermission,
    resourceRef: projectId,
  });
  const { allowed: canDelete } = usePermission({
    permission: clickstreamProjectDeletePermission,
    resourceRef: projectId,
  });
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState(false);
  const [settings, setSettings] = useState(false);
  const [deleting, setDeleting] = useState(false);
  // The app whose edit or delete dialog is open.
  const [appDialog, setAppDialog] = useState<{
    app: App;
    action: 'edit' | 'delete';
  }>();
  // Bumped after a change so the cards below read it back.
  const [revision, setRevision] = useState(0);

  const state = useProjectPipeline(projectId);
  const changed = (didChange: boolean) => {
    if (!didChange) return;
    state.reload();
    setRevision(r => r + 1);
  };
  // The API's answers to this page's own changes, newer than its data until the reload lands:
  // a second change right after a first one sends the version the first one produced.
  const [answered, setAnswered] = useState<{
    apps: Record<string, App>;
    project?: Project;
  }>({ apps: {} });
  const rememberApp = (app: App) =>
    setAnswered(a => ({ ...a, apps: { ...a.apps, [app.appId]: app } }));

  async function toggle(app: App) {
    try {
      rememberApp(
        await api.updateApp(app.projectId, app.appId, {
          enabled: !app.enabled,
          version: app.version,
        }),
      );
      alertApi.post({
        message: `App ${app.appId} ${app.enabled ? 'disabled' : 'enabled'}`,
        severity: 'success',
        display: 'transient',
      });
      changed(true);
    } catch (e) {
      alertApi.post({ message: messageOf(e), severity: 'error' });
    }
  }

  const columns: TableColumn<App>[] = [
    ...appColumns,
    {
      title: 'Actions',
      render: app => (
        <Box display="flex" style={{ gap: 4 }}>
          <Button
            size="small"
            disabled={!canUpdate}
            aria-label={`Edit app ${app.appId}`}
            onClick={() => setAppDialog({ app, action: 'edit' })}
          >
            Edit
          </Button>
          <Button
            size="small"
            disabled={!canUpdate}
            aria-label={`${app.enabled ? 'Disable' : 'Enable'} app ${
              app.appId
            }`}
            onClick={() => toggle(app)}
          >
            {app.enabled ? 'Disable' : 'Enable'}
          </Button>
          <Button
            size="small"
            color="secondary"
            disabled={!canDelete}
            aria-label={`Delete app ${app.appId}`}
            onClick={() => setAppDialog({ app, action: 'delete' })}
          >
            Delete
          </Button>
        </Box>
      ),
    },
  ];

  let body;
  if (state.loading) body = <Progress />;
  else if (state.error && !state.value)
    body = <ResponseErrorPanel error={state.error} />;
  else {
    const { pipeline } = state.value!;
    const project = newest(state.value!.project, answered.project);
    const apps = state.value!.apps.map(a => newest(a, answered.apps[a.appId]));
    body = (
      <Grid container spacing={3}>
        <Grid item xs={12} md={6}>
          <PipelineCard projectId={projectId} key={`pipeline-${revision}`} />
        </Grid>
        <Grid item xs={12} md={6}>
          <InfoCard
            title="Pipeline configuration"
            subheader={`Version ${pipeline.version}`}
            action={
              <Button
                color="primary"
                disabled={!canUpdate}
                onClick={() => setEditing(true)}
              >
                Edit
              </Button>
            }
          >
            <CodeSnippet
              text={JSON.stringify(pipeline.config, null, 2)}
              language="json"
            />
          </InfoCard>
        </Grid>
        <Grid item xs={12}>
          <Table<App>
            title={`Apps (${apps.length})`}
            options={{ search: false, paging: apps.length > 10, pageSize: 10 }}
            columns={columns}
            data={apps}
            emptyContent={
              <EmptyState
                missing="data"
                title="No apps yet"
                description="Register an app: its appId is what the SDKs send."
              />
            }
          />
        </Grid>
        <Grid item xs={12}>
          <SdkCard projectId={projectId} key={`sdk-${revision}`} />
        </Grid>
        <AddAppDialog
          projectId={projectId}
          open={adding}
          onClose={created => {
            setAdding(false);
            changed(created);
          }}
        />
        {appDialog && (
          <EditAppDialog
            app={appDialog.app}
            open={appDialog.action === 'edit'}
            onClose={saved => {
              setAppDialog(undefined);
              if (saved) rememberApp(saved);
              changed(!!saved);
            }}
          />
        )}
        {appDialog && (
          <DeleteAppDialog
            app={appDialog.app}
            open={appDialog.action === 'delete'}
            onClose={deleted => {
              setAppDialog(undefined);
              changed(deleted);
            }}
          />
        )}
        <ProjectSettingsDialog
          project={project}
          open={settings}
          onClose={saved => {
            setSettings(false);
            if (saved) setAnswered(a => ({ ...a, project: saved }));
            changed(!!saved);
          }}
        />
        <DeleteProjectDialog
          project={project}
          pipeline={pipeline}
          appCount={apps.length}
          open={deleting}
          onClose={() => {
            setDeleting(false);
            changed(true);
          }}
          onDeleted={() => navigate(rootRoute())}
        />
        <EditPipelineDialog
          pipeline={pipeline}
          target={project.target.type}
          open={editing}
          onClose={saved => {
            setEditing(false);
            changed(saved);
          }}
        />
      </Grid>
    );
  }

  const project = state.value && newest(state.value.project, answered.project);
  return (
    <Page themeId="tool">
      <Header
        title={project?.name ?? projectId}
        subtitle={project?.description || `Clickstream project ${projectId}`}
        type="Clickstream project"
      />
      <Content>
        <ContentHeader title={projectId}>
          <Button
            variant="contained"
            color="primary"
            disabled={!canUpdate || !state.value}
            onClick={() => setAdding(true)}
            style={{ marginRight: 16 }}
          >
            Register an app
          </Button>
          <Button
            variant="outlined"
            disabled={!canUpdate || !state.value}
            onClick={() => setSettings(true)}
            style={{ marginRight: 16 }}
          >
            Project settings
          </Button>
          <Button
            variant="outlined"
            color="secondary"
            disabled={!canDelete || !state.value}
            onClick={() => setDeleting(true)}
            style={{ marginRight: 16 }}
          >
            Delete project
          </Button>
          <Link
            to={entityRoute({
              namespace: 'default',
              kind: 'resource',
              name: projectId,
            })}
          >
            Open in the catalog, with its dashboards
          </Link>
        </ContentHeader>
        {body}
      </Content>
    </Page>
  );
};
