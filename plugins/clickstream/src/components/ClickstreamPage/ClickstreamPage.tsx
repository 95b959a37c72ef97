import {
  Content,
  ContentHeader,
  Header,
  InfoCard,
  Page,
  SupportButton,
} from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { Route, Routes, Link as RouterLink } from 'react-router-dom';
import { createProjectRouteRef } from '../../routes';
import { BackendStatusCard } from '../BackendStatusCard';
import { ProjectPage } from '../ProjectPage';
import { ProjectsTable } from '../ProjectsTable';

/** The projects the user may read, and how to create one. */
export const ProjectsPage = () => {
  const createProject = useRouteRef(createProjectRouteRef);

  return (
    <Page themeId="tool">
      <Header
        title="Clickstream"
        subtitle="Self-service clickstream analytics for your apps"
      />
      <Content>
        <ContentHeader title="Projects">
          <SupportButton>
            A clickstream project collects events from your web and mobile apps
            with the Clickstream SDKs, processes them, and shows dashboards
            here.
          </SupportButton>
        </ContentHeader>
        <Grid container spacing={3}>
          <Grid item xs={12} md={8}>
            <InfoCard title="Get started">
              <Typography paragraph>
                Create a clickstream project from its Software Template. The
                pipeline runs embedded in Backstage by default, or in your AWS
                account.
              </Typography>
              {createProject && (
                <Button
                  variant="contained"
                  color="primary"
                  component={RouterLink}
                  to={createProject()}
                >
                  Create a project
                </Button>
              )}
            </InfoCard>
          </Grid>
          <Grid item xs={12} md={4}>
            <BackendStatusCard />
          </Grid>
          <Grid item xs={12}>
            <ProjectsTable />
          </Grid>
        </Grid>
      </Content>
    </Page>
  );
};

/** The Clickstream page: the projects, and a page per project. */
export const ClickstreamPage = () => (
  <Routes>
    <Route path="/" element={<ProjectsPage />} />
    <Route path="/projects/:projectId" element={<ProjectPage />} />
  </Routes>
);
