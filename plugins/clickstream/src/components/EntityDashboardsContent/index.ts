export { EntityDashboardsContent } from './EntityDashboardsContent';
