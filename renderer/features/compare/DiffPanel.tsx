/**
 * The parameter diff beside the photos: one column per photo (A, B, …), the settings that differ
 * first and highlighted, the prompt's words added and removed against photo A, then what all of
 * them share. This replaced the settings under each photo (issue 11): one table reads faster.
 */
import type { RunDetailT } from '../../../shared/ipc/contract';
import type { CompareItem } from './compare-store';
import { splitRows, wordDiff, type CompareRow } from './diff';

export function DiffPanel({
  items,
  rows,
  runs,
  letters,
}: {
  items: readonly CompareItem[];
  rows: readonly CompareRow[];
  runs: Record<string, RunDetailT | 'missing'>;
  letters: readonly string[];
}) {
  const { differ, same } = splitRows(rows);
  const prompts = items.map((it) => {
    const r = runs[it.runId];
    return r && r !== 'missing' ? r.prompt : it.prompt;
  });
  const words = prompts.map((p) => wordDiff(prompts[0]!, p));
  const promptDiffers = words.some((w) => w.added.length || w.removed.length);
  const loading = items.some((it) => runs[it.runId] === undefined);
  const gone = items.filter((it) => runs[it.runId] === 'missing').length;
  const cell = (r: CompareRow, i: number) => {
    const c = r.cells[i]!;
    return (
      <td
        key={i}
        className={r.key === 'seed' ? 'mono' : undefined}
        title={c.isDefault ? 'The model’s default' : c.missing ? 'Not set for this photo' : undefined}
      >
        {c.value}
      </td>
    );
  };
  return (
    <aside className="compare-diff" aria-label="What differs" data-testid="compare-diff">
      <h3 className="compare-diff-title">{differ.length || promptDiffers ? 'What differs' : 'Nothing differs'}</h3>
      <table className="compare-table">
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">Setting</span>
            </th>
            {items.map((it, i) => (
              <th scope="col" key={it.id}>
                {letters[i]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {differ.map((r) => (
            <tr key={r.key} className="differs" data-key={r.key}>
              <th scope="row">{r.label}</th>
              {items.map((_, i) => cell(r, i))}
            </tr>
          ))}
        </tbody>
      </table>
      {promptDiffers ? (
        <>
          <h4 className="compare-diff-sub">Prompt words, against A</h4>
          <dl className="compare-words" data-key="prompt">
            {words.slice(1).map((w, j) => (
              <div key={items[j + 1]!.id} data-letter={letters[j + 1]}>
                <dt>{letters[j + 1]}</dt>
                <dd>
                  {!w.added.length && !w.removed.length ? <span className="muted">the same words</span> : null}
                  {w.added.map((x) => (
                    <ins key={`+${x}`} title="Not in A’s prompt">
                      +{x}
                    </ins>
                  ))}
                  {w.removed.map((x) => (
                    <del key={`-${x}`} title="In A’s prompt, not in this one">
                      −{x}
                    </del>
                  ))}
                </dd>
              </div>
            ))}
          </dl>
        </>
      ) : null}
      {same.length ? (
        <>
          <h4 className="compare-diff-sub">The same for all</h4>
          <dl className="compare-same">
            {same.map((r) => (
              <div key={r.key} data-key={r.key}>
                <dt>{r.label}</dt>
                <dd title={r.cells[0]!.isDefault ? 'The model’s default' : undefined}>{r.cells[0]!.value}</dd>
              </div>
            ))}
          </dl>
        </>
      ) : null}
      {loading ? <p className="muted small">Loading their settings…</p> : null}
      {gone ? (
        <p className="muted small">
          {gone === 1 ? 'One photo’s settings are' : `${gone} photos’ settings are`} not in the library any more: only
          its seed and size are compared.
        </p>
      ) : null}
    </aside>
  );
}
