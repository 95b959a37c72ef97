import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { ProjectSummary } from '@clickstream/backstage-plugin-clickstream-common';
import { projectRouteRef } from '../../routes';
import { ProjectActivity } from './ProjectActivity';
import { useProjects } from '../../hooks/useProjects';
import { PipelineStatusLabel } from './PipelineStatusLabel';

const columns = (
  projectLink: (projectId: string) => string,
): TableColumn<ProjectSummary>[] => [
  {
    title: 'Project',
    field: 'id',
    highlight: true,
    render: project => <Link to={projectLink(project.id)}>{project.id}</Link>,
  },
  { title: 'Name', field: 'name' },
  { title: 'Owner', field: 'owner' },
  {
    title: 'Target',
    field: 'target.type',
    render: project =>
      project.target.type === 'aws'
        ? `AWS ${project.target.region}`
        : 'Embedded',
  },
  { title: 'Environment', field: 'environment' },
  {
    title: 'Pipeline',
    field: 'status',
    render: project => <PipelineStatusLabel status={project.status} />,
  },
  {
    title: 'Activity',
    render: project => <ProjectActivity project={project} />,
  },
];

/** The projects the signed-in user may read, with their pipelines' status. */
export const ProjectsTable = () => {
  const { value, loading, error } = useProjects();
  const projectRoute = useRouteRef(projectRouteRef);

  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value || value.items.length === 0) {
    return (
      <EmptyState
        missing="data"
        title="No clickstream projects yet"
        description="Projects you own, or your groups own, appear here once created."
      />
    );
  }
  return (
    <Table<ProjectSummary>
      title={`Projects (${value.totalCount})`}
      options={{ search: true, paging: value.items.length > 20, pageSize: 20 }}
      columns={columns(projectId => projectRoute({ projectId }))}
      data={value.items}
    />
  );
};
