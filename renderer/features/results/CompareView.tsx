/**
 * Side by side: 2 to 4 photos large, each with its seed and the settings that differ, and what
 * can be done with it (reuse its seed, start from it, open its run in the gallery). Settings come
 * from each run's record in the library (`library.get`).
 */
import { useEffect, useState } from 'react';
import type { RunDetailT } from '../../../shared/ipc/contract';
import { assetUrl, client, useModel } from '../../store/studio';
import { useCompare, useNav, useSelection, type CompareItem } from '../../store/ui';
import { Modal, Spinner } from '../../app/controls';
import { IconGrid, IconLock, IconWand, IconX } from '../../app/icons';
import { fieldTitle } from '../params/logic';
import { compareRows } from './compare-rows';
import { hasOwnLabel, reuseSeed, snippet } from './JobCard';
import { noteRuns } from './keep';
import { KeepButton, keepShortcut } from './KeepButton';
import './results.css';

/** Shorter titles for the narrow columns. */
const SHORT: Record<string, string> = { lora_scale: 'LoRA scale', extra_lora_scale: 'Extra LoRA scale', prompt_strength: 'Strength', num_inference_steps: 'Steps', guidance_scale: 'Guidance' };

function useRuns(items: readonly CompareItem[]): Record<string, RunDetailT | 'missing'> {
  const [runs, setRuns] = useState<Record<string, RunDetailT | 'missing'>>({});
  const ids = [...new Set(items.map((i) => i.runId))].sort().join(',');
  useEffect(() => {
    let live = true;
    for (const runId of ids ? ids.split(',') : []) {
      client.library
        .get({ runId })
        .then((r) => {
          noteRuns([r]);
          if (live) setRuns((s) => ({ ...s, [runId]: r }));
        })
        .catch(() => live && setRuns((s) => ({ ...s, [runId]: 'missing' })));
    }
    return () => {
      live = false;
    };
  }, [ids]);
  return runs;
}

export function CompareView() {
  const open = useCompare((s) => s.open);
  const items = useCompare((s) => s.items);
  if (!open || items.length < 2) return null;
  return <CompareModal items={items} />;
}

function CompareModal({ items }: { items: CompareItem[] }) {
  const setOpen = useCompare((s) => s.setOpen);
  const remove = useCompare((s) => s.remove);
  const clear = useCompare((s) => s.clear);
  const setSource = useSelection((s) => s.setSource);
  const openRun = useNav((s) => s.openRun);
  const go = useNav((s) => s.go);
  const fields = useModel((s) => s.info?.fields);
  const modelRef = useModel((s) => s.info?.ref);
  const runs = useRuns(items);
  const defaultsFor = (run: RunDetailT): Record<string, unknown> =>
    fields && modelRef && run.modelRef.split(':')[0] === modelRef.split(':')[0] ? Object.fromEntries(fields.filter((f) => f.default !== undefined).map((f) => [f.name, f.default])) : {};
  const title = (k: string) => {
    if (SHORT[k]) return SHORT[k];
    const f = fields?.find((x) => x.name === k);
    return f ? fieldTitle(f) : k.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
  };
  const close = () => setOpen(false);
  const rows = compareRows(
    items.map((it) => {
      const r = runs[it.runId];
      const run = r && r !== 'missing' ? r : null;
      return { width: it.width, height: it.height, seed: it.seed, run, defaults: run ? defaultsFor(run) : {} };
    }),
    title,
  );

  return (
    <Modal title={`Compare ${items.length} photos`} subtitle="Settings that differ between them are highlighted." onClose={close} className="compare" testId="compare">
      <div className={`compare-grid compare-grid--${items.length}`}>
        {items.map((item, i) => {
          const run = runs[item.runId];
          const detail = run && run !== 'missing' ? run : null;
          const seed = detail?.seed ?? item.seed;
          return (
            <figure className="compare-item" key={item.id} data-testid="compare-item" onKeyDown={keepShortcut}>
              <div className="compare-image">
                <img src={assetUrl(item.id)} alt={`Photo ${i + 1}: ${item.prompt}`} width={item.width} height={item.height} />
                {run !== 'missing' ? <KeepButton runId={item.runId} assetId={item.id} position={item.index} kept={detail?.images.find((im) => im.id === item.id)?.flag === 'pick'} shortcut /> : null}
                <button type="button" className="compare-remove" aria-label={`Remove photo ${i + 1} from the comparison`} title="Remove from the comparison" onClick={() => remove(item.id)}>
                  <IconX size={13} />
                </button>
              </div>
              <figcaption className="compare-caption">
                <div className="compare-caption-head">
                  <p className="compare-prompt" title={detail?.prompt ?? item.prompt}>
                    {detail && hasOwnLabel(detail) ? <strong>{detail.label} · </strong> : null}
                    {snippet(detail?.prompt ?? item.prompt, 90)}
                  </p>
                  <button
                    type="button"
                    className="link-button"
                    title="Open its run in the Gallery"
                    onClick={() => {
                      close();
                      openRun(item.runId);
                    }}
                  >
                    <IconGrid size={12} /> Open in Gallery
                  </button>
                </div>
                <dl className="compare-settings">
                  {/* The same rows under every photo (compare-rows.ts), so they line up. */}
                  {rows.filter((r) => detail || r.key === 'seed' || r.key === 'size').map((r) => {
                    const cell = r.cells[i]!;
                    return (
                      <div className={`compare-row${r.differs ? ' differs' : ''}`} key={r.key}>
                        <dt>{r.label}</dt>
                        <dd className={r.key === 'seed' ? 'mono' : 'break'} title={cell.isDefault ? 'The model’s default' : cell.missing ? 'Not set for this photo' : undefined}>
                          {cell.value}
                          {r.key === 'seed' && item.of > 1 ? <span className="muted"> · photo {item.index + 1} of {item.of}</span> : null}
                        </dd>
                      </div>
                    );
                  })}
                  {detail ? null : run === 'missing' ? (
                    <p className="muted small">Its settings are not in the library any more.</p>
                  ) : (
                    <Spinner label="Loading its settings" />
                  )}
                </dl>
                <div className="compare-actions">
                  {typeof seed === 'number' ? (
                    <button type="button" className="button button--small" onClick={() => reuseSeed(seed)}>
                      <IconLock size={13} /> Reuse this seed
                    </button>
                  ) : null}
                  <button
                    type="button"
                    className="button button--small"
                    onClick={() => {
                      setSource({ assetId: item.id, width: item.width, height: item.height, label: `Photo ${item.index + 1} of ${snippet(item.prompt)}` });
                      clear();
                      go('studio');
                    }}
                  >
                    <IconWand size={13} /> Start from this
                  </button>
                </div>
              </figcaption>
            </figure>
          );
        })}
      </div>
    </Modal>
  );
}
