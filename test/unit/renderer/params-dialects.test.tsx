// @vitest-environment happy-dom
/**
 * The studio's form is the same whatever dialect the model's Cog version wrote its schema in:
 * the same controls, labels, options, ranges and defaults, compared as a normalized description
 * of the rendered DOM (built here, not a stored snapshot).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ParamsForm } from '../../../renderer/features/params/ParamsForm';
import { resetStores } from '../../../renderer/app/reset-stores';
import { useModel } from '../../../renderer/features/params/model-store';
import { BUILTIN_SCHEMA } from '../../../shared/model/builtin';
import { parseOpenApiSchema, type ModelField } from '../../../shared/model/schema';
import { DIALECTS } from '../../fixtures/cog-dialects';
import simAllOf from '../../fixtures/openapi/cog-allof.json' with { type: 'json' };
import simBareRef from '../../fixtures/openapi/cog-bare-ref.json' with { type: 'json' };
import simNullable from '../../fixtures/openapi/cog-nullable.json' with { type: 'json' };
import simAnyOf from '../../fixtures/openapi/cog-pydantic2-anyof.json' with { type: 'json' };

/** The dialects written here from Cog's generators, and the documents the simulator serves. */
const DOCUMENTS: Record<string, unknown> = {
  ...DIALECTS,
  'simulator cog-allof.json': simAllOf,
  'simulator cog-bare-ref.json': simBareRef,
  'simulator cog-nullable.json': simNullable,
  'simulator cog-pydantic2-anyof.json': simAnyOf,
};

afterEach(() => {
  cleanup();
  resetStores();
});

/** One line per control: what a person sees and can pick, without ids. */
function describeControl(el: Element): string {
  const attrs = (names: string[]) =>
    names
      .map((n) => [n, el.getAttribute(n)] as const)
      .filter(([, v]) => v !== null)
      .map(([n, v]) => `${n}=${v}`)
      .join(' ');
  const role = el.getAttribute('role') ?? '';
  if (el instanceof HTMLSelectElement) {
    const options = [...el.options].map((o) => `${o.value}:${o.textContent}`).join('|');
    return `select value=${el.value} disabled=${el.disabled} [${options}]`;
  }
  if (el instanceof HTMLInputElement) {
    return `input ${attrs(['type', 'inputmode', 'min', 'max', 'step', 'placeholder', 'aria-label', 'data-min', 'data-max'])} value=${el.value} disabled=${el.disabled}`;
  }
  return `${el.tagName.toLowerCase()} role=${role} ${attrs(['aria-checked', 'aria-label', 'aria-disabled', 'disabled'])} "${el.textContent?.trim() ?? ''}"`;
}

function formSnapshot(): string[] {
  const section = screen.getByRole('region', { name: 'Photo settings' });
  const out: string[] = [];
  for (const field of section.querySelectorAll('.field')) {
    const label = field.querySelector('.field-label')?.textContent?.trim();
    const range = field.querySelector('.field-range')?.textContent?.trim();
    const help = field.querySelector('.field-help')?.textContent?.trim();
    out.push(`field "${label}" range=${range ?? '-'} class=${field.className}`);
    if (help) out.push(`  help: ${help}`);
    for (const el of field.querySelectorAll('input, select, [role="radio"], [role="switch"], button'))
      out.push(`  ${describeControl(el)}`);
  }
  const size = section.querySelector('[data-testid="output-size"]')?.textContent;
  out.push(`output: ${size ?? '-'}`);
  return out;
}

async function renderFrom(fields: ModelField[]) {
  useModel.setState({
    info: {
      ref: 'sandrasocial/sseelfie-ai',
      owner: 'sandrasocial',
      name: 'sseelfie-ai',
      versionId: 'v',
      fields,
      source: 'live',
    },
  });
  const user = userEvent.setup();
  const view = render(<ParamsForm />);
  await user.click(screen.getByRole('button', { name: /More settings/ }));
  const defaults = formSnapshot();
  // width and height show with a custom size: their ranges are part of the form too
  await user.click(
    within(screen.getByRole('radiogroup', { name: 'Aspect ratio' })).getByRole('radio', { name: /^custom/ }),
  );
  const custom = formSnapshot();
  view.unmount();
  resetStores();
  return { defaults, custom };
}

describe('the form from each Cog dialect', () => {
  it('the bundled Cog 0.9 schema gives the form the other tests know', async () => {
    const { defaults, custom } = await renderFrom(BUILTIN_SCHEMA.fields);
    const text = defaults.join('\n');
    expect(text).toContain('input type=range min=1 max=50 step=1 aria-label=Steps slider value=28 disabled=false');
    expect(text).toContain('aria-label=9:21 Tall, 640 by 1536 pixels');
    expect(text).toContain('select value=1 disabled=false [1:1 megapixel|0.25:0.25 megapixel (draft)]');
    expect(text).toContain('select value=webp disabled=false [webp:WEBP|jpg:JPG|png:PNG]');
    expect(text).toContain(
      'select value=dev disabled=false [dev:Dev (best quality)|schnell:Schnell (fastest, 4 steps)]',
    );
    expect(text).toMatch(/field "Go fast".*\n.*\n {2}button role=switch aria-checked=false/);
    expect(text).toContain('field "Seed" range=- class=field seed-field');
    expect(text).not.toMatch(/field "(Image|Mask|Prompt)"/);
    expect(text).not.toContain('field "Width"');
    const customText = custom.join('\n');
    expect(customText).toMatch(/field "Width" range=256–1440/);
    expect(customText).toMatch(/field "Height" range=256–1440/);
  });

  it.each(Object.keys(DOCUMENTS))(
    '%s renders the same controls, labels, options and ranges as Cog 0.9',
    async (name) => {
      const reference = await renderFrom(parseOpenApiSchema(DIALECTS['cog-0.9 allOf']).fields);
      const dialect = await renderFrom(parseOpenApiSchema(DOCUMENTS[name]).fields);
      expect(reference.defaults.length).toBeGreaterThan(40); // the comparison is not of two empty forms
      expect(dialect.defaults).toEqual(reference.defaults);
      expect(dialect.custom).toEqual(reference.custom);
    },
  );
});
