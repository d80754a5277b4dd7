/**
 * The keyboard shortcuts overlay of the mask editor ("?"): every canvas shortcut plus the studio's
 * own (Generate, views). A modal dialog over the stage: Esc, the close button or a click outside
 * closes it, focus goes to its close button and back to what opened it.
 */
import { Fragment, useEffect, useId, useRef } from 'react';
import { IconClose } from './canvas-icons';
import { comboKeys, shortcutGroups, type Combo } from './editor-logic';

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

export function ShortcutsHelp({ mac, onClose }: { mac: boolean; onClose(): void }) {
  const titleId = useId();
  const closeRef = useRef<HTMLButtonElement>(null);
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    closeRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' || e.key === '?') {
        e.preventDefault();
        e.stopPropagation();
        onCloseRef.current();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      if (opener && opener.isConnected) opener.focus();
    };
  }, []);

  return (
    <div
      className="shortcuts-backdrop"
      onPointerDown={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <div className="shortcuts-dialog" role="dialog" aria-modal="true" aria-labelledby={titleId} data-testid="shortcuts-help">
        <div className="shortcuts-head">
          <h2 id={titleId}>Keyboard shortcuts</h2>
          <button ref={closeRef} type="button" className="mask-tool" aria-label="Close" title="Close (Esc)" onClick={onClose}>
            <IconClose size={16} />
          </button>
        </div>
        <div className="shortcuts-grid">
          {shortcutGroups(mac).map((g) => (
            <section key={g.title} className="shortcuts-group" aria-label={g.title}>
              <h3>{g.title}</h3>
              <dl>
                {g.items.map((it) => (
                  <div key={it.label} className="shortcut-row">
                    <dt>{it.label}</dt>
                    <dd>
                      {it.text ? <span className="kbd-text">{it.text}</span> : null}
                      {it.combos.map((c, i) => (
                        <Fragment key={i}>
                          {i > 0 ? <span className="kbd-or">{it.combos.length > 2 || /\//.test(it.label) ? '/' : 'or'}</span> : null}
                          <Keys combo={c} mac={mac} />
                        </Fragment>
                      ))}
                      {it.moreKeys?.map((k) => (
                        <Fragment key={k}>
                          <span className="kbd-or">/</span>
                          <kbd>{k}</kbd>
                        </Fragment>
                      ))}
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
