import {
  KeyMetrics,
  MetricSheet,
  SheetData,
} from '@clickstream/backstage-plugin-clickstream-common';
import { ComponentType } from 'react';

/** The key metrics of the period before the one shown, of the same length. */
export interface PreviousPeriod {
  kpis: KeyMetrics;
  from: string;
  to: string;
}

/** One tab of the dashboards: its view of the sheet's data, and what it shows with none. */
export interface SheetView<S extends MetricSheet> {
  title: string;
  /** `previous`, when known, is what the key metric tiles compare with. */
  View: ComponentType<{ data: SheetData[S]; previous?: PreviousPeriod }>;
  /** True when the data holds nothing to show: the tab shows `empty` instead. */
  isEmpty(data: SheetData[S]): boolean;
  empty: { title: string; description: string };
}
