// A lab's reduction target (baseline year, target year, reduction %) and its progress: the
// straight path from the baseline year's total, and each year's actual total against it.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';

import type { TargetProgress, TargetPublic, TargetPut } from '@co2calculator/client';
import { deleteTargetMutation, getTargetProgressOptions, getTargetProgressQueryKey, replaceTargetMutation } from '@co2calculator/client/react-query';

import { Field, FormProblem } from './fields';
import { co2e, decimalInput, quantity } from './format';
import { useT } from './i18n';
import { ProblemView } from './problem';
import { thisYear } from './router';

const TARGET_FIELDS = ['baseline_year', 'target_year', 'reduction_pct'];

export function TargetTab({ labId, isManager }: { labId: string; isManager: boolean }) {
  const t = useT();
  const progress = useQuery(getTargetProgressOptions({ path: { lab_id: labId } }));
  if (progress.isPending) return <div className="card">{t.loading}</div>;
  if (progress.isError) return <ProblemView error={progress.error} context={t.target} />;
  return (
    <>
      {isManager ? <TargetForm key={progress.data.target?.updated_at ?? 'none'} labId={labId} progress={progress.data} /> : null}
      <Progress progress={progress.data} isManager={isManager} />
    </>
  );
}

function TargetForm({ labId, progress }: { labId: string; progress: TargetProgress }) {
  const t = useT();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: getTargetProgressQueryKey({ path: { lab_id: labId } }) });
  const save = useMutation({ ...replaceTargetMutation(), onSuccess: refresh });
  const remove = useMutation({ ...deleteTargetMutation(), onSuccess: refresh });
  return (
    <TargetEditor
      title={t.reductionTarget}
      target={progress.target}
      save={{ ...save, mutate: (body) => save.mutate({ path: { lab_id: labId }, body }) }}
      remove={{ ...remove, mutate: () => remove.mutate({ path: { lab_id: labId } }) }}
    />
  );
}

/** What `TargetEditor` needs of a mutation: to run it, whether it runs, and its problem. */
interface Action<Body> {
  mutate: (body: Body) => void;
  isPending: boolean;
  error: unknown;
}

/** The form of a reduction target, a lab's or the institution's (the caller's mutations). */
export function TargetEditor({
  title,
  target,
  save,
  remove,
}: {
  title: string;
  target: Pick<TargetPublic, 'baseline_year' | 'target_year' | 'reduction_pct'> | null | undefined;
  save: Action<TargetPut>;
  remove: Action<void>;
}) {
  const t = useT();
  const [baseline, setBaseline] = useState(String(target?.baseline_year ?? thisYear() - 1));
  const [until, setUntil] = useState(String(target?.target_year ?? 2030));
  const [reduction, setReduction] = useState(target?.reduction_pct ?? '');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ baseline_year: Number(baseline), target_year: Number(until), reduction_pct: decimalInput(reduction) });
  };
  return (
    <form className="card" onSubmit={submit} aria-label={title}>
      <h3>{title}</h3>
      <div className="form-grid">
        <Field label={t.baselineYear} name="baseline_year" error={save.error}>
          <input type="number" value={baseline} onChange={(e) => setBaseline(e.target.value)} required />
        </Field>
        <Field label={t.targetYear} name="target_year" error={save.error}>
          <input type="number" value={until} onChange={(e) => setUntil(e.target.value)} required />
        </Field>
        <Field label={t.reductionPct} name="reduction_pct" error={save.error}>
          <input inputMode="decimal" value={reduction} onChange={(e) => setReduction(e.target.value)} required />
        </Field>
      </div>
      <FormProblem error={save.error ?? remove.error} context={t.notSaved} fields={TARGET_FIELDS} />
      <div className="form-row">
        <button type="submit" disabled={save.isPending}>
          {save.isPending ? t.saving : t.saveTarget}
        </button>
        {target ? (
          <button type="button" className="secondary" disabled={remove.isPending} onClick={() => remove.mutate()}>
            {t.removeTarget}
          </button>
        ) : null}
      </div>
    </form>
  );
}

export function Progress({ progress, isManager }: { progress: TargetProgress; isManager: boolean }) {
  const t = useT();
  const target = progress.target;
  if (!target) {
    return (
      <p className="card muted" data-testid="no-target">
        {isManager ? t.noTargetManager : t.noTargetMember}
      </p>
    );
  }
  return (
    <section className="card" aria-label={t.progress}>
      <h3>{t.targetSummary(quantity(target.reduction_pct), target.baseline_year, target.target_year)}</h3>
      <p className="muted small">
        {progress.baseline_kg_co2e === null
          ? t.noBaseline(target.baseline_year)
          : t.baselineAndGoal(co2e(progress.baseline_kg_co2e), co2e(progress.target_kg_co2e ?? '0'))}
      </p>
      <table className="stack" data-testid="target-years">
        <thead>
          <tr>
            <th className="num">{t.year}</th>
            <th className="num">{t.path}</th>
            <th className="num">{t.actual}</th>
            <th className="num">{t.gap}</th>
            <th>{t.status}</th>
          </tr>
        </thead>
        <tbody>
          {progress.years.map((row) => (
            <tr key={row.year} data-year={row.year}>
              <td className="num">{row.year}</td>
              <td className="num">{row.path_kg_co2e === null ? '—' : co2e(row.path_kg_co2e)}</td>
              <td className="num">{row.actual_kg_co2e === null ? '—' : co2e(row.actual_kg_co2e)}</td>
              <td className="num">{row.gap_kg_co2e === null ? '—' : `${Number(row.gap_kg_co2e) > 0 ? '+' : ''}${co2e(row.gap_kg_co2e)}`}</td>
              <td>{row.on_track === null ? '—' : row.on_track ? t.onTrack : t.offTrack}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
