import type { ApiError } from '../api/client';

interface Props {
  error: ApiError;
  /** Offers Retry. */
  onRetry?: () => void;
  /** Offers Dismiss, for a refused action that retrying would not help. */
  onDismiss?: () => void;
  /** What failed; by default whether the API is unreachable or something went wrong. */
  title?: string;
}

export function ErrorAlert({ error, onRetry, onDismiss, title }: Props) {
  const heading = title ?? (error.unreachable ? 'The Rockpool API is unreachable' : 'Something went wrong');
  return (
    <div class="alert alert-danger" role="alert">
      <div>
        <strong>{heading}</strong>
        <p class="alert-message">{error.message}</p>
      </div>
      {onRetry && (
        <button type="button" class="btn" onClick={onRetry}>
          Retry
        </button>
      )}
      {onDismiss && (
        <button type="button" class="btn" onClick={onDismiss}>
          Dismiss
        </button>
      )}
    </div>
  );
}
