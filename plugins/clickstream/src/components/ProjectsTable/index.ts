export { ProjectsTable } from './ProjectsTable';
