import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import { PipelineStatus } from '@clickstream/backstage-plugin-clickstream-common';

const LABELS: Record<PipelineStatus, string> = {
  NotDeployed: 'Not deployed',
  Creating: 'Creating',
  Active: 'Active',
  Updating: 'Updating',
  Deleting: 'Deleting',
  Deleted: 'Deleted',
  Failed: 'Failed',
  Warning: 'Warning',
};

/** A pipeline status with the status icon Backstage uses for its meaning. */
export const PipelineStatusLabel = ({ status }: { status: PipelineStatus }) => {
  const label = LABELS[status] ?? status;
  switch (status) {
    case 'Active':
      return <StatusOK>{label}</StatusOK>;
    case 'Creating':
    case 'Updating':
    case 'Deleting':
      return <StatusRunning>{label}</StatusRunning>;
    case 'Warning':
      return <StatusWarning>{label}</StatusWarning>;
    case 'Failed':
      return <StatusError>{label}</StatusError>;
    case 'Deleted':
      return <StatusAborted>{label}</StatusAborted>;
    default:
      return <StatusPending>{label}</StatusPending>;
  }
};
