import { BackstageCredentials } from '@backstage/backend-plugin-api';

/** Who acted, for audit fields: the user's entity ref or the calling service's subject. */
export function principalOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  return principal.userEntityRef ?? principal.subject ?? principal.type;
}
