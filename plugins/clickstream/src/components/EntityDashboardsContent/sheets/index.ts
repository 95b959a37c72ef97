import { MetricSheet } from '@clickstream/backstage-plugin-clickstream-common';
import { acquisitionView } from './acquisition';
import { devicesView } from './devices';
import { engagementView } from './engagement';
import { geographyView } from './geography';
import { overviewView } from './overview';
import { retentionView } from './retention';
import { SheetView } from './SheetView';

/** Every dashboard tab, by sheet: a new sheet's view is one module here and one line below. */
export const SHEET_VIEWS: { [S in MetricSheet]: SheetView<S> } = {
  overview: overviewView,
  acquisition: acquisitionView,
  engagement: engagementView,
  retention: retentionView,
  devices: devicesView,
  geography: geographyView,
};

export type { PreviousPeriod, SheetView } from './SheetView';
