import type { ApiError } from '../api/client';

export function ErrorAlert({ error, onRetry }: { error: ApiError; onRetry: () => void }) {
  const title = error.unreachable ? 'The Rockpool API is unreachable' : 'Something went wrong';
  return (
    <div class="alert alert-danger" role="alert">
      <div>
        <strong>{title}</strong>
        <p class="alert-message">{error.message}</p>
      </div>
      <button type="button" class="btn" onClick={onRetry}>
        Retry
      </button>
    </div>
  );
}
