import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  NotImplementedError,
  ResponseError,
} from '@backstage/errors';

/**
 * Calls the clickstream backend's API on behalf of a user: a plugin request token issued for
 * the template's initiator, so the backend's permission policy decides, as for the user.
 */
export class ClickstreamApi {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly auth: AuthService,
  ) {}

  async request<T>(
    credentials: BackstageCredentials,
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<T> {
    const baseUrl = await this.discovery.getBaseUrl('clickstream');
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'clickstream',
    });
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw await toError(response);
    return (response.status === 204 ? undefined : await response.json()) as T;
  }
}

/** The API's answer as the error the scaffolder shows: the API's own message. */
async function toError(response: Response): Promise<Error> {
  const error = await ResponseError.fromResponse(response);
  const message = error.body?.error?.message ?? error.message;
  switch (response.status) {
    case 400:
      return new InputError(message);
    case 403:
      return new NotAllowedError(message);
    case 404:
      return new NotFoundError(message);
    case 409:
      return new ConflictError(message);
    case 501:
      return new NotImplementedError(message);
    default:
      return error;
  }
}
