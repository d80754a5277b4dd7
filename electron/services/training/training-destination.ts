/**
 * The training's destination: the person's private model on Replicate, created under the token's
 * account when it does not exist yet (`POST /v1/models`, private, on the hardware trained FLUX
 * versions run on). A create whose answer was lost is looked for before it is sent again.
 */
import { httpStatusOf, OutcomeUnknownError } from '../replicate/gateway';
import { trainingFailures } from './training-failures';
import { failing, type Live, type TrainingRunContext } from './training-run';

export async function ensureDestination(ctx: TrainingRunContext, l: Live): Promise<void> {
  const [owner, name] = l.rec.request.destination.split('/') as [string, string];
  try {
    await ctx.gateway.getModel(owner, name, ctx.call(l, false));
    return;
  } catch (e) {
    if (httpStatusOf(e) !== 404) throw e;
  }
  l.status = `Creating your private model ${owner}/${name} on Replicate…`;
  ctx.emit(l);
  for (let attempt = 0; ; attempt++) {
    try {
      await ctx.api.createModel(
        {
          owner,
          name,
          visibility: 'private',
          hardware: ctx.hardware,
          description: 'Trained with Sseelfie Studio from my selfies',
        },
        ctx.call(l, false),
      );
      return;
    } catch (e) {
      const status = httpStatusOf(e);
      if (status === 409) return; // made meanwhile (by our own lost create, a moment ago): that is the one
      if (status === 403)
        throw failing(trainingFailures.destinationForeign(owner, (await ctx.gateway.account()).username), 'foreign');
      if (!(e instanceof OutcomeUnknownError) || attempt >= 2) throw e;
      // Did it get made? A model costs nothing and a second create is a 409: look, then ask again.
      try {
        await ctx.gateway.getModel(owner, name, ctx.call(l, false));
        return;
      } catch (g) {
        if (httpStatusOf(g) !== 404) throw g;
      }
    }
  }
}
