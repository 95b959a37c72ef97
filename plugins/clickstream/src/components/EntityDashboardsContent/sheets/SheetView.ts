import {
  MetricSheet,
  SheetData,
} from '@clickstream/backstage-plugin-clickstream-common';
import { ComponentType } from 'react';

/** One tab of the dashboards: its view of the sheet's data, and what it shows with none. */
export interface SheetView<S extends MetricSheet> {
  title: string;
  View: ComponentType<{ data: SheetData[S] }>;
  /** True when the data holds nothing to show: the tab shows `empty` instead. */
  isEmpty(data: SheetData[S]): boolean;
  empty: { title: string; description: string };
}
