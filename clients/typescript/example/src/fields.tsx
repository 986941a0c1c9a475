// A problem response next to the field it names: `errors[].loc` of a validation problem (422),
// or, for a problem about one field without a `loc` (a 409 "code already in use", a 404 "no such
// user"), the field the form says it concerns.
import type { ReactNode } from 'react';

import { isProblem, ProblemView } from './problem';

/** A problem without `loc` that is about one field: its status, and (optionally) a pattern its
 * detail matches. */
export interface Fallback {
  status: number[];
  field: string;
  match?: RegExp;
}

function applies(error: { status: number; detail?: string | null; errors?: unknown[] | null }, fallback?: Fallback): boolean {
  if (!fallback || error.errors?.length || !fallback.status.includes(error.status)) return false;
  return !fallback.match || fallback.match.test(error.detail ?? '');
}

function fieldOf(loc: Array<string | number>): string {
  return String(loc[loc.length - 1]);
}

/** The messages about `field` in `error`. */
export function fieldMessages(error: unknown, field: string, fallback?: Fallback): string[] {
  if (!isProblem(error)) return [];
  const named = (error.errors ?? []).filter((e) => fieldOf(e.loc) === field).map((e) => e.msg);
  if (named.length) return named;
  if (fallback?.field === field && applies(error, fallback)) {
    return [error.detail ?? error.title];
  }
  return [];
}

/** A label with its control and, under it, what the server said about that field. */
export function Field({
  label,
  name,
  error,
  fallback,
  children,
  className,
}: {
  label: ReactNode;
  name: string;
  error: unknown;
  fallback?: Fallback;
  children: ReactNode;
  className?: string;
}) {
  const messages = fieldMessages(error, name, fallback);
  return (
    <label className={className} data-field={name}>
      {label}
      {children}
      {messages.map((message, index) => (
        <span key={index} className="field-error" role="alert">
          {message}
        </span>
      ))}
    </label>
  );
}

/** The rest of a problem: what no field of the form shows. */
export function FormProblem({
  error,
  context,
  fields,
  fallback,
}: {
  error: unknown;
  context: string;
  fields: string[];
  fallback?: Fallback;
}) {
  if (!error) return null;
  if (isProblem(error)) {
    const rest = (error.errors ?? []).filter((e) => !fields.includes(fieldOf(e.loc)));
    const shownByField = applies(error, fallback);
    if (error.errors?.length && !rest.length) return null;
    if (shownByField) return null;
    return <ProblemView error={{ ...error, errors: rest }} context={context} />;
  }
  return <ProblemView error={error} context={context} />;
}
