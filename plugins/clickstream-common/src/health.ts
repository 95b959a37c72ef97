/**
 * What `GET /api/clickstream/health` answers.
 * @public
 */
export interface ClickstreamHealth {
  status: 'ok';
  /** The principal the backend saw for this request: proof the call was authenticated. */
  principal: string;
}
