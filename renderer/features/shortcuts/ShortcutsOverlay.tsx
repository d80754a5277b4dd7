/**
 * The keyboard shortcuts list ("?"), over any view: the keys of where the person is (the mask
 * editor, the result viewer, a saved run, the comparison) and then the ones that work everywhere,
 * all drawn from keymap.ts, the table the handlers match with. A modal dialog: Esc, "?", the close
 * button or a click outside close it; focus goes to its close button and back where it was.
 *
 * "?" is caught on the window before anything else (capture), so it opens over the comparison
 * dialog too, and the overlay's Esc closes only the overlay, not the dialog or page under it.
 */
import { Fragment, useEffect, useId, useRef } from 'react';
import { platform } from '../../app/client';
import { useCompare } from '../compare/compare-store';
import { useNav } from '../../app/nav-store';
import { useSelection } from '../studio/selection-store';
import { useShortcutsHelp } from './shortcuts-help-store';
import { IconX } from '../../app/icons';
import { useStage, useStageTarget } from '../results/stage/stage-store';
import { KEYS, comboKeys, groupsFor, hit, isTypingTarget, type Combo, type ShortcutContext } from './keymap';

/** Where the person is, as the list groups it. */
export function useShortcutContext(): ShortcutContext {
  const view = useNav((s) => s.view);
  const runId = useNav((s) => s.openRunId);
  const comparing = useCompare((s) => s.open && s.items.length >= 2);
  const source = useSelection((s) => s.source);
  const stageView = useStage((s) => s.view);
  const target = useStageTarget();
  if (comparing) return 'compare';
  if (view === 'gallery') return runId ? 'run' : 'gallery';
  if (view === 'settings') return 'settings';
  // The same rule as the studio's centre (studio/CanvasSlot.tsx): a result, else the editor.
  if (stageView === 'result' && target) return 'stage';
  return source ? 'editor' : 'studio';
}

export function Keys({ combo, mac }: { combo: Combo; mac: boolean }) {
  const keys = comboKeys(combo, mac);
  return (
    <span className="kbd-combo">
      {keys.map((k, i) => (
        <Fragment key={i}>
          {i > 0 && !mac ? <span className="kbd-plus">+</span> : null}
          <kbd>{k}</kbd>
        </Fragment>
      ))}
    </span>
  );
}

/**
 * A row's combos, "or" between alternatives ("/" for a pair like zoom in / out). Combos that differ
 * only in their last key are written once: Ctrl + 1 / 2 / 3.
 */
function ComboList({ combos, mac, pair }: { combos: readonly Combo[]; mac: boolean; pair: boolean }) {
  const mods = (c: Combo) => c.slice(0, -1).join('+');
  if (combos.length > 1 && combos.every((c) => c.length > 1 && mods(c) === mods(combos[0]!))) {
    return (
      <>
        <Keys combo={combos[0]!} mac={mac} />
        {combos.slice(1).map((c, i) => (
          <Fragment key={i}>
            <span className="kbd-or">/</span>
            <kbd>{c[c.length - 1]}</kbd>
          </Fragment>
        ))}
      </>
    );
  }
  return (
    <>
      {combos.map((c, i) => (
        <Fragment key={i}>
          {i > 0 ? <span className="kbd-or">{combos.length > 2 || pair ? '/' : 'or'}</span> : null}
          <Keys combo={c} mac={mac} />
        </Fragment>
      ))}
    </>
  );
}

function ShortcutsDialog({ ctx, mac, onClose }: { ctx: ShortcutContext; mac: boolean; onClose(): void }) {
  const titleId = useId();
  const closeRef = useRef<HTMLButtonElement>(null);
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    closeRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (hit(KEYS.close, e) || hit(KEYS.help, e)) {
        e.preventDefault();
        e.stopPropagation();
        onCloseRef.current();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      if (opener && opener.isConnected && typeof opener.focus === 'function') opener.focus();
    };
  }, []);

  const groups = groupsFor(ctx, mac);
  return (
    <div
      className="shortcuts-backdrop"
      onPointerDown={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <div
        className="shortcuts-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid="shortcuts-help"
        data-context={ctx}
      >
        <div className="shortcuts-head">
          <h2 id={titleId}>Keyboard shortcuts</h2>
          <button
            ref={closeRef}
            type="button"
            className="icon-button"
            aria-label="Close"
            title="Close (Esc)"
            onClick={onClose}
          >
            <IconX size={16} />
          </button>
        </div>
        <div className={`shortcuts-grid${groups.length === 1 ? ' shortcuts-grid--one' : ''}`}>
          {groups.map((g) => (
            <section key={g.title} className="shortcuts-group" aria-labelledby={`${titleId}-${g.title}`}>
              <h3 id={`${titleId}-${g.title}`}>{g.title}</h3>
              <dl>
                {g.items.map((it) => (
                  <div key={it.label} className="shortcut-row">
                    <dt>{it.label}</dt>
                    <dd>
                      {it.hold ? <span className="kbd-text">hold</span> : null}
                      {it.text ? <span className="kbd-text">{it.text}</span> : null}
                      <ComboList combos={it.combos} mac={mac} pair={/\//.test(it.label)} />
                    </dd>
                  </div>
                ))}
              </dl>
            </section>
          ))}
        </div>
        <p className="shortcuts-foot">Shortcuts pause while you type in a text box.</p>
      </div>
    </div>
  );
}

/** Mounted once by the shell: "?" anywhere (not while typing) opens the list. */
export function ShortcutsOverlay() {
  const open = useShortcutsHelp((s) => s.open);
  const setOpen = useShortcutsHelp((s) => s.setOpen);
  const ctx = useShortcutContext();
  const mac = platform() === 'darwin';

  useEffect(() => {
    if (open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing || !hit(KEYS.help, e)) return;
      if (isTypingTarget(e.target) || isTypingTarget(document.activeElement)) return;
      e.preventDefault();
      setOpen(true);
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [open, setOpen]);

  return open ? <ShortcutsDialog ctx={ctx} mac={mac} onClose={() => setOpen(false)} /> : null;
}
