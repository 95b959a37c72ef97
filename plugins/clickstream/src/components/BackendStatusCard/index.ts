export { BackendStatusCard } from './BackendStatusCard';
