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
import { useRouteRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  App,
  clickstreamProjectUpdatePermission,
} from '@clickstream/backstage-plugin-clickstream-common';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import { useState } from 'react';
import { useParams } from 'react-router-dom';
import { useProjectPipeline } from '../../hooks/useProjectPipeline';
import { PipelineCard } from '../EntityPipelineCard';
import { SdkCard } from '../EntitySdkCard';
import { AddAppDialog } from './AddAppDialog';
import { EditPipelineDialog } from './EditPipelineDialog';

const appColumns: TableColumn<App>[] = [
  { title: 'App id', field: 'appId', highlight: true },
  { title: 'Name', field: 'name' },
  { title: 'Platforms', render: app => app.platforms.join(', ') },
  { title: 'Time zone', render: app => app.timezone ?? 'UTC' },
  { title: 'Enabled', render: app => (app.enabled ? 'Yes' : 'No') },
];

/** A project: its pipeline, apps, configuration and SDK setup, with the forms to change them. */
export const ProjectPage = () => {
  const { projectId } = useParams() as { projectId: string };
  const entityRoute = useRouteRef(entityRouteRef);
  const { allowed: canUpdate } = usePermission({
    permission: clickstreamProjectUpdatePermission,
    resourceRef: projectId,
  });
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState(false);
  // Bumped after a change so the cards below read it back.
  const [revision, setRevision] = useState(0);

  const state = useProjectPipeline(projectId);
  const changed = (didChange: boolean) => {
    if (!didChange) return;
    state.reload();
    setRevision(r => r + 1);
  };

  let body;
  if (state.loading) body = <Progress />;
  else if (state.error && !state.value)
    body = <ResponseErrorPanel error={state.error} />;
  else {
    const { project, pipeline, apps } = state.value!;
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
            columns={appColumns}
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

  const project = state.value?.project;
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
