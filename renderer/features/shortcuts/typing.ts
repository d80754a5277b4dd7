/**
 * Where typing must not trigger a shortcut: text fields, selects and editable content. The one
 * check every keyboard handler of the renderer uses (app/controls and the mask editor's
 * canvas/shortcuts.ts re-export it), so "?" or "K" typed into the prompt is just a character.
 */
export function isTypingTarget(target: EventTarget | null | undefined): boolean {
  const el = target as { tagName?: string; isContentEditable?: boolean; type?: string } | null | undefined;
  if (!el || typeof el.tagName !== 'string') return false;
  const tag = el.tagName.toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT')
    return !['button', 'checkbox', 'radio', 'range', 'color', 'submit', 'reset', 'image', 'file'].includes(
      (el.type ?? 'text').toLowerCase(),
    );
  return el.isContentEditable === true;
}
