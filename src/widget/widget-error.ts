/** The one error type the widget shows and reports in `drishti-error`. */
import type { DrishtiErrorCode } from './types.ts';

export class WidgetError extends Error {
  override name = 'WidgetError';
  constructor(
    readonly code: DrishtiErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function toWidgetError(err: unknown, fallback: DrishtiErrorCode): WidgetError {
  if (err instanceof WidgetError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new WidgetError(fallback, message || 'Unknown error.');
}
