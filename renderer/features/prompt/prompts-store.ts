/** The recent prompts (suggestions under the prompt box). */
import { create } from 'zustand';
import { client } from '../../app/client';

interface PromptsState {
  recent: string[];
  refresh(): Promise<void>;
}

export const usePrompts = create<PromptsState>()((set) => ({
  recent: [],
  async refresh() {
    try {
      set({ recent: await client.prompts.recent() });
    } catch {
      // suggestions only: nothing to tell the person
    }
  },
}));

export function resetPrompts(): void {
  usePrompts.setState({ recent: [] });
}
