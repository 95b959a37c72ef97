export { ClickstreamPage } from './ClickstreamPage';
