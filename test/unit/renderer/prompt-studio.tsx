/**
 * The studio the prompt tests drive: the app with a token over the fake bridge, waited on until the
 * model's schema and the trigger word are in; a job and a selfie as main sends them.
 */
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../../../renderer/app/App';
import type { JobViewT, SelfieViewT } from '../../../shared/ipc/contract';
import { WITH_TOKEN, createFakeStudio, type FakeStudio } from './fake-studio';
import { startWith } from './setup';

export const T0 = 1_764_000_000_000;
let n = 0;
export function job(over: Partial<JobViewT> = {}): JobViewT {
  n += 1;
  return {
    id: `job_${n}`,
    runId: `run_${n}`,
    state: 'queued',
    label: 'subject at a café',
    modelRef: 'sandrasocial/sseelfie-ai',
    prompt: 'subject at a café',
    createdAt: T0 + n,
    updatedAt: T0 + n,
    numOutputs: 1,
    warnings: [],
    images: [],
    ...over,
  };
}

export async function studio(setup?: (fake: FakeStudio) => void) {
  const user = userEvent.setup();
  const fake = createFakeStudio({ token: WITH_TOKEN });
  setup?.(fake);
  startWith(fake, <App />);
  await screen.findByRole('radiogroup', { name: 'Aspect ratio' }); // model schema loaded
  await screen.findByTestId('trigger-chip');
  const prompt = screen.getByLabelText('Describe the photo') as HTMLTextAreaElement;
  return { user, fake, prompt };
}

export const SELFIE: SelfieViewT = {
  id: 'selfie_1',
  name: 'me.jpg',
  addedAt: T0,
  width: 600,
  height: 800,
  image: { id: 'selfies/selfie_1.jpg', width: 600, height: 800 },
  thumb: { id: 'selfies/selfie_1.thumb.jpg', width: 192, height: 256 },
};
