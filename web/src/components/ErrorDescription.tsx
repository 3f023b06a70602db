/**
 * A failure as the pages show it. A RAM refusal (Forbidden.RAM) says what the signed-in identity
 * may not do — "You are not allowed to ecs:StopInstance on acs:ecs:…" — with a link to the
 * access explainer for that action and resource, instead of a bare error code.
 */
import { errorText, refusalOf } from '../api/client';
import { useContext } from 'react';
import { ConsoleContext } from '../hooks/console';
import { Link } from '../router';

/** The RAM user name of the signed-in identity when it signed in as `user@alias`. */
export function signedInUser(principal: string): string | undefined {
  const at = principal.lastIndexOf('@');
  return at > 0 ? principal.slice(0, at) : undefined;
}

export function explainPath(action: string, resource: string, user?: string): string {
  const q = new URLSearchParams({ action, resource, ...(user ? { user } : {}) });
  return `/ram/access?${q.toString()}`;
}

/** `principal`: who is signed in, for renderings outside the console's context (notifications). */
export function ErrorDescription({ error, principal }: { error: unknown; principal?: string }) {
  const signedIn = useContext(ConsoleContext);
  const who = principal ?? signedIn?.client.principal ?? 'the signed-in identity';
  const refused = refusalOf(error);
  if (!refused) return <>{errorText(error)}</>;
  return (
    <span data-testid="ram-refusal">
      You are not allowed to <b>{refused.action}</b> on <code>{refused.resource}</code>: the policies of {who} do not allow it.{' '}
      <Link to={explainPath(refused.action, refused.resource, signedInUser(who))} testId="explain-refusal">Why? (access explainer)</Link>
    </span>
  );
}
