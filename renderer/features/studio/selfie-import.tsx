/**
 * Getting photos onto the selfie shelf without the file picker: drag files from Finder/Explorer
 * anywhere on the studio (an overlay says what will happen), or paste an image with Cmd/Ctrl+V
 * when focus is not in a text field. Everything goes to main's `selfies.import`, which decides
 * what is an image; its per-file messages name the file.
 */
import { useEffect, useRef, useState, type DragEvent } from 'react';
import type { ImportResultT } from '../../../shared/ipc/contract';
import { useSelfies } from './selfies-store';
import { isTypingTarget, modalOpen } from '../../app/controls';
import { IconUpload } from '../../app/icons';
import { claimSettingsDrop } from '../export/RestoreBanner';

/**
 * A drag that started inside the window (a result's thumbnail: Chromium offers dragged images as
 * "Files" too) is not a drop from the desktop.
 */
let internalDrag = false;
if (typeof window !== 'undefined') {
  window.addEventListener('dragstart', () => (internalDrag = true), true);
  window.addEventListener('dragend', () => (internalDrag = false), true);
  window.addEventListener('drop', () => setTimeout(() => (internalDrag = false)), true);
}

function hasFiles(dt: DataTransfer | null | undefined): boolean {
  return !internalDrag && !!dt && Array.from(dt.types ?? []).includes('Files');
}

/** Drag handlers for the studio's root, and whether files are being dragged over it. */
export function useStudioDrop() {
  const importFiles = useSelfies((s) => s.importFiles);
  const [over, setOver] = useState(false);
  const depth = useRef(0);

  // A drag that ends outside the window (or is canceled) never sends dragleave to us.
  useEffect(() => {
    if (!over) return;
    const reset = () => {
      depth.current = 0;
      setOver(false);
    };
    window.addEventListener('dragend', reset);
    window.addEventListener('blur', reset);
    return () => {
      window.removeEventListener('dragend', reset);
      window.removeEventListener('blur', reset);
    };
  }, [over]);

  return {
    over,
    props: {
      onDragEnter(e: DragEvent) {
        if (!hasFiles(e.dataTransfer) || modalOpen()) return;
        e.preventDefault();
        depth.current += 1;
        setOver(true);
      },
      onDragOver(e: DragEvent) {
        if (!hasFiles(e.dataTransfer) || modalOpen()) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        if (!over) setOver(true);
      },
      onDragLeave(e: DragEvent) {
        if (!hasFiles(e.dataTransfer)) return;
        depth.current = Math.max(0, depth.current - 1);
        const outside = !e.relatedTarget || !e.currentTarget.contains(e.relatedTarget as Node);
        if (depth.current === 0 && outside) setOver(false);
      },
      onDrop(e: DragEvent) {
        if (!hasFiles(e.dataTransfer)) return;
        e.preventDefault();
        depth.current = 0;
        setOver(false);
        if (modalOpen()) return;
        const files = Array.from(e.dataTransfer.files ?? []);
        if (claimSettingsDrop(e.target, files)) return; // on the prompt column: its settings, not a selfie
        if (files.length) void importFiles(files);
      },
    },
  };
}

export function DropOverlay() {
  return (
    <div className="drop-overlay" data-testid="drop-overlay" aria-hidden="true">
      <div className="drop-card">
        <span className="drop-icon">
          <IconUpload size={28} />
        </span>
        <p className="drop-title">Drop photos to add them to your selfies</p>
        <p className="drop-sub">JPEG, PNG, WebP, AVIF, HEIC, TIFF or GIF · up to 100 MB each</p>
        <p className="drop-sub">Drop on the prompt column to load a photo’s settings instead</p>
      </div>
    </div>
  );
}

const EXT: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'image/avif': 'avif',
  'image/tiff': 'tif',
  'image/heic': 'heic',
  'image/heif': 'heif',
};

/** A pasted screenshot arrives as "image.png": give it a name the shelf can show. */
export function pastedName(file: File, now: Date = new Date()): string {
  const generic = !file.name || /^image\.\w+$/i.test(file.name);
  if (!generic) return file.name;
  const ext = EXT[file.type] ?? (file.name.split('.').pop() || 'png');
  const pad = (n: number) => String(n).padStart(2, '0');
  return `Pasted ${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())} ${pad(now.getHours())}.${pad(now.getMinutes())}.${pad(now.getSeconds())}.${ext}`;
}

/** Files on the clipboard (images, or files copied in Finder/Explorer). */
export function clipboardFiles(data: DataTransfer | null): File[] {
  if (!data) return [];
  const files = Array.from(data.files ?? []);
  if (files.length) return files;
  const out: File[] = [];
  for (const item of Array.from(data.items ?? [])) {
    if (item.kind === 'file') {
      const f = item.getAsFile();
      if (f) out.push(f);
    }
  }
  return out;
}

/** Cmd/Ctrl+V with an image on the clipboard adds it to the shelf (not while typing). */
export function usePasteSelfies(enabled: boolean): void {
  const importFiles = useSelfies((s) => s.importFiles);
  useEffect(() => {
    if (!enabled) return;
    function onPaste(e: ClipboardEvent) {
      if (e.defaultPrevented || modalOpen()) return;
      if (isTypingTarget(e.target) || isTypingTarget(document.activeElement)) return;
      const files = clipboardFiles(e.clipboardData);
      if (!files.length) return;
      e.preventDefault();
      const now = new Date();
      void importFiles(
        files.map((f) =>
          pastedName(f, now) === f.name
            ? f
            : new File([f], pastedName(f, now), { type: f.type, lastModified: f.lastModified }),
        ),
      );
    }
    document.addEventListener('paste', onPaste);
    return () => document.removeEventListener('paste', onPaste);
  }, [enabled, importFiles]);
}

/** "a.jpg, b.jpg, c.jpg and 2 more": enough names to recognise, never a wall of them. */
function names(list: string[], max = 3): string {
  if (list.length <= max)
    return list.length === 1 ? list[0]! : `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`;
  return `${list.slice(0, max).join(', ')} and ${list.length - max} more`;
}

/**
 * What an import did, in one line: "Added 4 selfies · 1 already on the shelf (IMG_0042.jpg)".
 * A photo that was already there is never counted as added; when nothing new came in, the line
 * says which files were already there (and as which selfie, when it has another name there).
 */
export function importSummary(r: Pick<ImportResultT, 'imported' | 'duplicates'>): string | null {
  const added = r.imported.length;
  const dups = r.duplicates;
  const addedText = added === 1 ? 'Added 1 selfie' : `Added ${added} selfies`;
  if (!dups.length) return added ? `${addedText}.` : null;
  if (added) return `${addedText} · ${dups.length} already on the shelf (${names(dups.map((d) => d.name))})`;
  if (dups.length === 1) {
    const d = dups[0]!;
    return `${d.name} is already on the shelf${d.shelfName !== d.name ? ` (as “${d.shelfName}”)` : ''}.`;
  }
  return `These ${dups.length} photos are already on the shelf: ${names(dups.map((d) => d.name))}.`;
}
