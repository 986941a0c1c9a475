// problem+json errors (the generated `ProblemDetails`), shown as a person would want to read them.
import type { FieldError, ProblemDetails } from '@co2calculator/client';

import { useT } from './i18n';

export function isProblem(error: unknown): error is ProblemDetails {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { status?: unknown }).status === 'number' &&
    typeof (error as { title?: unknown }).title === 'string'
  );
}

/** `["body", "quantity"]` → `quantity`; `["query", "year"]` → `year (query)`. */
function fieldName(loc: FieldError['loc']): string {
  const [where, ...rest] = loc;
  const name = rest.length ? rest.join('.') : String(where);
  return where === 'body' || !rest.length ? name : `${name} (${where})`;
}

// The problem's own words (title, detail, field messages) are shown as the server sent them.
export function ProblemView({ error, context }: { error: unknown; context?: string }) {
  const t = useT();
  if (error === null || error === undefined) return null;
  if (!isProblem(error)) {
    const message = error instanceof Error ? error.message : String(error);
    return (
      <div className="problem" role="alert">
        <div className="problem-title">{context ? `${context}: ` : ''}
          {t.didNotComplete}</div>
        <div className="problem-detail">{message}</div>
      </div>
    );
  }
  return (
    <div className="problem" role="alert" data-status={error.status}>
      <div className="problem-title">
        <span className="problem-status">{error.status}</span> {context ? `${context}: ` : ''}
        {error.title}
      </div>
      {error.detail ? <div className="problem-detail">{error.detail}</div> : null}
      {error.errors?.length ? (
        <ul className="problem-fields">
          {error.errors.map((field, index) => (
            <li key={index}>
              <code>{fieldName(field.loc)}</code> {field.msg}
            </li>
          ))}
        </ul>
      ) : null}
      {error.request_id ? <div className="problem-request">{t.requestId(error.request_id)}</div> : null}
    </div>
  );
}
