/** A failed read, shown with the service's Code and Message; unimplemented actions as a notice. */
import { Alert } from 'antd';
import { ApiError, errorText } from '../api/client';

export function ApiErrorAlert({ error, what }: { error: unknown; what?: string }) {
  if (!error) return null;
  const unsupported = error instanceof ApiError && error.unsupported;
  return (
    <Alert
      className="api-error"
      data-testid={unsupported ? 'unsupported' : 'api-error'}
      type={unsupported ? 'info' : 'error'}
      showIcon
      style={{ marginBottom: 16 }}
      title={unsupported ? `${what ?? 'This feature'} is not available on this server yet` : `${what ?? 'The request'} failed`}
      description={errorText(error)}
    />
  );
}
