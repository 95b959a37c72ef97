import { useApi } from '@backstage/core-plugin-api';
import { App } from '@clickstream/backstage-plugin-clickstream-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormHelperText from '@material-ui/core/FormHelperText';
import { clickstreamApiRef } from '../../api';
import { useDialogRequest } from './forms';

/** Deletes an app after saying what that does to its events. */
export function DeleteAppDialog(props: {
  app: App;
  open: boolean;
  onClose: (deleted: boolean) => void;
}) {
  const { app, open, onClose } = props;
  const api = useApi(clickstreamApiRef);
  const remove = useDialogRequest({
    open,
    send: () => api.deleteApp(app.projectId, app.appId),
    success: () => `App ${app.appId} deleted`,
    done: () => onClose(true),
  });

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
        {remove.error && (
          <FormHelperText error role="alert">
            {remove.error}
          </FormHelperText>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={() => onClose(false)}>Cancel</Button>
        <Button
          color="secondary"
          onClick={remove.submit}
          disabled={remove.pending}
        >
          Delete app
        </Button>
      </DialogActions>
    </Dialog>
  );
}
