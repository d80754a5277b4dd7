/**
 * The AUTOMATIC1111 `parameters` text, read the way A1111 itself reads it
 * (modules/infotext_utils.py parse_generation_parameters): the prompt lines, an optional
 * "Negative prompt:" (which may span several lines), and a last line of `Key: value` pairs where
 * a value may be quoted JSON (`Key: "a, b"`). A last line with fewer than three pairs is part of
 * the prompt, as in A1111.
 */

export interface A1111Parameters {
  prompt: string;
  negativePrompt: string;
  /** every pair of the last line in its order, values unquoted */
  params: Array<[string, string]>;
}

// A1111's re_param_code: a key of word characters, spaces, hyphens and slashes; a quoted or plain value.
const PARAM = /\s*(\w[\w \-/]+):\s*("(?:\\.|[^\\"])+"|[^,]*)(?:,|$)/g;

function pairs(line: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const m of line.matchAll(PARAM)) {
    if (m[0] === '') break;
    let v = m[2]!.trim();
    if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) {
      try {
        const u: unknown = JSON.parse(v);
        if (typeof u === 'string') v = u;
      } catch {
        /* kept as written, as A1111 does */
      }
    }
    out.push([m[1]!.trim(), v]);
  }
  return out;
}

export function parseA1111(text: string): A1111Parameters {
  const lines = text.trim().split(/\r?\n/);
  let last = lines.pop() ?? '';
  if (pairs(last).length < 3) {
    lines.push(last);
    last = '';
  }
  let prompt = '';
  let negative = '';
  let inNegative = false;
  for (let line of lines) {
    line = line.trim();
    if (line.startsWith('Negative prompt:')) {
      inNegative = true;
      line = line.slice('Negative prompt:'.length).trim();
    }
    if (inNegative) negative += (negative ? '\n' : '') + line;
    else prompt += (prompt ? '\n' : '') + line;
  }
  return { prompt, negativePrompt: negative, params: last ? pairs(last) : [] };
}
