import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { App } from '@clickstream/backstage-plugin-clickstream-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormHelperText from '@material-ui/core/FormHelperText';
import { useEffect, useState } from 'react';
import { clickstreamApiRef } from '../../api';
import { messageOf } from './forms';

/** Deletes an app after saying what that does to its events. */
export function DeleteAppDialog(props: {
  app: App;
  open: boolean;
  onClose: (deleted: boolean) => void;
}) {
  const { app, open, onClose } = props;
  const api = useApi(clickstreamApiRef);
  const alertApi = useApi(alertApiRef);
  const [error, setError] = useState<string>();
  const [deleting, setDeleting] = useState(false);

  useEffect(() => {
    if (open) setError(undefined);
  }, [open]);

  async function remove() {
    setDeleting(true);
    try {
      await api.deleteApp(app.projectId, app.appId);
      alertApi.post({
        message: `App ${app.appId} deleted`,
        severity: 'success',
        display: 'transient',
      });
      onClose(true);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setDeleting(false);
    }
  }

  return (
    <Dialog open={open} onClose={() => onClose(false)}>
      <DialogTitle>Delete app {app.appId}?</DialogTitle>
      <DialogContent>
        <DialogContentText>
          The collector refuses events sent with appId {app.appId} from now on,
          and its dashboards go. The events already loaded stay in the project's
          warehouse until its retention removes them. To pause collecting
          instead, disable the app.
        </DialogContentText>
        {error && (
          <FormHelperText error role="alert">
            {error}
          </FormHelperText>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={() => onClose(false)}>Cancel</Button>
        <Button color="secondary" onClick={remove} disabled={deleting}>
          Delete app
        </Button>
      </DialogActions>
    </Dialog>
  );
}
