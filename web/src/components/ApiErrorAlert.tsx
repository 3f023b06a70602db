/** A failed read, shown with the service's Code and Message; unimplemented actions as a notice. */
import { Alert } from 'antd';
import { ApiError, refusalOf } from '../api/client';
import { ErrorDescription } from './ErrorDescription';

export function ApiErrorAlert({ error, what }: { error: unknown; what?: string }) {
  if (!error) return null;
  const unsupported = error instanceof ApiError && error.unsupported;
  const refused = refusalOf(error) !== undefined;
  return (
    <Alert
      className="api-error"
      data-testid={unsupported ? 'unsupported' : refused ? 'not-allowed' : 'api-error'}
      type={unsupported ? 'info' : refused ? 'warning' : 'error'}
      showIcon
      style={{ marginBottom: 16 }}
      title={unsupported ? `${what ?? 'This feature'} is not available on this server yet` : refused ? `${what ?? 'This request'}: not allowed` : `${what ?? 'The request'} failed`}
      description={<ErrorDescription error={error} />}
    />
  );
}
