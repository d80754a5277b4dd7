/**
 * The XMP packet every result carries: `dc:description` (the prompt), `sseelfie:Parameters` (the
 * JSON) and `sseelfie:ParametersText` (the A1111-style text, so a JPEG that already had EXIF of
 * its own still carries it).
 */
import type { EmbeddedMeta, ReadMeta } from './types';

export const XMP_NAMESPACE = 'https://sseelfie.ai/ns/studio/1.0/';

/** Remove what XML 1.0 cannot hold, then escape. */
function xmlEscape(s: string): string {
  return (
    s
      // eslint-disable-next-line no-control-regex -- these are the control characters XML 1.0 forbids
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
      .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
  );
}

function xmlUnescape(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (_, e: string) => {
    if (e === 'amp') return '&';
    if (e === 'lt') return '<';
    if (e === 'gt') return '>';
    if (e === 'quot') return '"';
    if (e === 'apos') return "'";
    const code = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}

/** The prompt from A1111-style text: everything before "Negative prompt:" or the final "Steps:" line. */
export function promptFromParameters(parameters: string): string {
  const lines = parameters.split(/\r?\n/);
  let end = lines.length;
  for (let i = lines.length - 1; i >= 0; i--) {
    if (lines[i]!.startsWith('Steps: ')) {
      end = i;
      break;
    }
  }
  const neg = lines.findIndex((l, i) => i < end && l.startsWith('Negative prompt:'));
  if (neg >= 0) end = neg;
  return lines.slice(0, end).join('\n').trim();
}

export function buildXmpPacket(meta: EmbeddedMeta): string {
  const prompt = typeof meta.json.prompt === 'string' ? meta.json.prompt : promptFromParameters(meta.parameters);
  return (
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>\n' +
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n' +
    ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n' +
    '  <rdf:Description rdf:about=""\n' +
    '    xmlns:dc="http://purl.org/dc/elements/1.1/"\n' +
    '    xmlns:xmp="http://ns.adobe.com/xap/1.0/"\n' +
    `    xmlns:sseelfie="${XMP_NAMESPACE}">\n` +
    '   <xmp:CreatorTool>Sseelfie Studio</xmp:CreatorTool>\n' +
    `   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">${xmlEscape(prompt)}</rdf:li></rdf:Alt></dc:description>\n` +
    `   <sseelfie:Parameters>${xmlEscape(JSON.stringify(meta.json))}</sseelfie:Parameters>\n` +
    `   <sseelfie:ParametersText>${xmlEscape(meta.parameters)}</sseelfie:ParametersText>\n` +
    '  </rdf:Description>\n' +
    ' </rdf:RDF>\n' +
    '</x:xmpmeta>\n' +
    '<?xpacket end="w"?>'
  );
}

export function parseXmp(xml: string): ReadMeta {
  const out: ReadMeta = {};
  const tag = (name: string) => {
    const m = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml);
    return m ? xmlUnescape(m[1]!) : undefined;
  };
  const json = tag('sseelfie:Parameters');
  if (json !== undefined) {
    try {
      const v: unknown = JSON.parse(json);
      if (v && typeof v === 'object' && !Array.isArray(v)) out.json = v as Record<string, unknown>;
    } catch {
      /* not ours */
    }
  }
  const text = tag('sseelfie:ParametersText');
  if (text !== undefined) out.parameters = text;
  const desc = /<dc:description>[\s\S]*?<rdf:li[^>]*>([\s\S]*?)<\/rdf:li>/.exec(xml);
  if (desc) out.prompt = xmlUnescape(desc[1]!);
  return out;
}
