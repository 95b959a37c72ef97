import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import {
  Project,
  PROJECT_ENVIRONMENTS,
  ProjectEnvironment,
  UpdateProjectRequest,
  updateProjectRequestSchema,
} from '@clickstream/backstage-plugin-clickstream-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormHelperText from '@material-ui/core/FormHelperText';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { clickstreamApiRef } from '../../api';
import { problemsOf, useDialogRequest, useOnOpen } from './forms';

interface Draft {
  name: string;
  description: string;
  environment: ProjectEnvironment;
  owner: string;
  notificationEmails: string;
}

const draftOf = (project: Project): Draft => ({
  name: project.name,
  description: project.description,
  environment: project.environment,
  owner: project.owner,
  notificationEmails: project.notificationEmails.join('\n'),
});

/** The request for what changed, conditional on the version the form was opened with. */
export function projectChangesOf(
  project: Project,
  draft: Draft,
): UpdateProjectRequest {
  const request: UpdateProjectRequest = { version: project.version };
  if (draft.name.trim() !== project.name) request.name = draft.name.trim();
  if (draft.description.trim() !== project.description) {
    request.description = draft.description.trim();
  }
  if (draft.environment !== project.environment) {
    request.environment = draft.environment;
  }
  if (draft.owner.trim().toLocaleLowerCase('en-US') !== project.owner) {
    request.owner = draft.owner.trim();
  }
  const emails = draft.notificationEmails
    .split(/[\s,;]+/)
    .map(email => email.trim())
    .filter(Boolean);
  if (emails.join('\n') !== project.notificationEmails.join('\n')) {
    request.notificationEmails = emails;
  }
  return request;
}

/**
 * A project's name, description, environment, notification e-mails and owner. Handing it to
 * another owner is a click on one of the signed-in user's own groups; the backend refuses
 * an owner the user is not part of (unless a policy lets them), so nobody locks themselves out.
 */
export function ProjectSettingsDialog(props: {
  project: Project;
  open: boolean;
  /** With the project as saved (its new version), or nothing when cancelled. */
  onClose: (saved: Project | undefined) => void;
}) {
  const { project, open, onClose } = props;
  const api = useApi(clickstreamApiRef);
  const identityApi = useApi(identityApiRef);
  const [draft, setDraft] = useState<Draft>(() => draftOf(project));

  useOnOpen(open, () => setDraft(draftOf(project)));

  const { value: ownRefs = [] } = useAsync(
    async () => (await identityApi.getBackstageIdentity()).ownershipEntityRefs,
    [identityApi],
  );

  const request = projectChangesOf(project, draft);
  const problems = problemsOf(updateProjectRequestSchema, request);
  const unchanged = Object.keys(request).length === 1;
  const set = (change: Partial<Draft>) => setDraft({ ...draft, ...change });

  const save = useDialogRequest({
    open,
    send: () => api.updateProject(project.id, request),
    success: saved =>
      saved.owner !== project.owner
        ? `Project ${project.id} now belongs to ${saved.owner}`
        : `Project ${project.id} saved`,
    done: onClose,
  });

  return (
    <Dialog
      open={open}
      onClose={() => onClose(undefined)}
      fullWidth
      maxWidth="sm"
    >
      <DialogTitle>Settings of {project.id}</DialogTitle>
      <DialogContent>
        <TextField
          id="clickstream-project-name"
          label="Name"
          value={draft.name}
          onChange={e => set({ name: e.target.value })}
          fullWidth
          margin="dense"
          required
          error={!!problems.name}
          helperText={problems.name}
        />
        <TextField
          id="clickstream-project-description"
          label="Description"
          value={draft.description}
          onChange={e => set({ description: e.target.value })}
          fullWidth
          margin="dense"
          multiline
          error={!!problems.description}
          helperText={problems.description}
        />
        <TextField
          id="clickstream-project-environment"
          select
          label="Environment"
          value={draft.environment}
          onChange={e =>
            set({ environment: e.target.value as ProjectEnvironment })
          }
          fullWidth
          margin="dense"
        >
          {PROJECT_ENVIRONMENTS.map(environment => (
            <MenuItem key={environment} value={environment}>
              {environment}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          id="clickstream-project-owner"
          label="Owner"
          value={draft.owner}
          onChange={e => set({ owner: e.target.value })}
          fullWidth
          margin="dense"
          required
          error={!!problems.owner}
          helperText={
            problems.owner ??
            'A user or group entity reference; its members may change, deploy and delete the project'
          }
        />
        {ownRefs.length > 0 && (
          <Box display="flex" flexWrap="wrap" alignItems="center" mt={1}>
            <Typography variant="caption" color="textSecondary">
              Hand it to:&nbsp;
            </Typography>
            {ownRefs.map(ref => (
              <Chip
                key={ref}
                label={ref}
                size="small"
                clickable
                color={draft.owner === ref ? 'primary' : 'default'}
                onClick={() => set({ owner: ref })}
                style={{ margin: 2 }}
              />
            ))}
          </Box>
        )}
        <TextField
          id="clickstream-project-emails"
          label="Notification e-mails"
          value={draft.notificationEmails}
          onChange={e => set({ notificationEmails: e.target.value })}
          fullWidth
          margin="dense"
          multiline
          error={!!problems.notificationEmails}
          helperText={
            problems.notificationEmails ??
            "Who gets the pipeline's alarms by e-mail on AWS, from its next update (one per line)"
          }
        />
        {save.error && (
          <FormHelperText error role="alert">
            {save.error}
          </FormHelperText>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={() => onClose(undefined)}>Cancel</Button>
        <Button
          color="primary"
          onClick={save.submit}
          disabled={
            save.pending || unchanged || Object.keys(problems).length > 0
          }
        >
          Save
        </Button>
      </DialogActions>
    </Dialog>
  );
}
