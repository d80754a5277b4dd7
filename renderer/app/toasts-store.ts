import { create } from 'zustand';

/** Short confirmations ("Seed 1234 locked"), shown for a few seconds at the bottom of the window. */
export interface Toast {
  id: number;
  text: string;
  tone: 'info' | 'ok' | 'error';
}
interface ToastState {
  toasts: Toast[];
  show(text: string, tone?: Toast['tone']): void;
  dismiss(id: number): void;
}
let toastId = 0;
export const useToasts = create<ToastState>()((set) => ({
  toasts: [],
  show: (text, tone = 'ok') =>
    set((s) => ({ toasts: [...s.toasts.filter((t) => t.text !== text), { id: ++toastId, text, tone }].slice(-3) })),
  dismiss: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
}));

export function resetToasts(): void {
  useToasts.setState({ toasts: [] });
}
