import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReplicateGateway } from '../../../../electron/services/replicate/gateway';
import { ModelRegistry } from '../../../../electron/services/replicate/model-registry';
import { tmpDir } from '../jobs/harness';

const gatewayAnswering = (body: unknown) =>
  new ReplicateGateway({
    baseUrl: () => 'https://api.replicate.com/v1',
    token: async () => 'r8_x_test_token',
    fetch: async () => Response.json(body),
  });

describe('ModelRegistry', () => {
  it('a model whose schema is not a Cog input schema is refused in words, naming the model', async () => {
    const reg = new ModelRegistry(
      gatewayAnswering({
        owner: 'me',
        name: 'llm',
        latest_version: { id: 'v1', openapi_schema: { openapi: '3.0.2', components: {} } },
      }),
      path.join(tmpDir(), 'models.json'),
    );
    const e = await reg.resolve('me/llm').catch((x) => x);
    expect(e).toMatchObject({ code: 'invalid_input' });
    expect(e.message).toMatch(/inputs of me\/llm cannot be read/);
  });

  it('a model with no version yet says to train it first', async () => {
    const reg = new ModelRegistry(
      gatewayAnswering({ owner: 'me', name: 'new', latest_version: null }),
      path.join(tmpDir(), 'models.json'),
    );
    await expect(reg.resolve('me/new')).rejects.toMatchObject({
      code: 'not_found',
      message: expect.stringMatching(/Train it first/),
    });
  });
});
