// A relation's global ID, base64 of `Relation:<id>` as Pothos' encodeGlobalID writes it, without a Buffer per
// id: a page shows an id per relation, and Buffer.from(…).toString('base64') cost about a microsecond each
// (1.7 % of a served relationsTo page). `Relation:` is 9 bytes, whole base64 groups, so its text is fixed
// and the id's digits are encoded on their own.
const PREFIX = 'UmVsYXRpb246'; // base64('Relation:')
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64, with padding, of a string of one-byte characters (the digits of an id). */
function base64Ascii(text: string): string {
  let out = '';
  let i = 0;
  for (; i + 2 < text.length; i += 3) {
    const n = (text.charCodeAt(i) << 16) | (text.charCodeAt(i + 1) << 8) | text.charCodeAt(i + 2);
    out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + ALPHABET[(n >> 6) & 63] + ALPHABET[n & 63];
  }
  const left = text.length - i;
  if (left === 1) {
    const n = text.charCodeAt(i) << 16;
    out += `${ALPHABET[n >> 18]}${ALPHABET[(n >> 12) & 63]}==`;
  } else if (left === 2) {
    const n = (text.charCodeAt(i) << 16) | (text.charCodeAt(i + 1) << 8);
    out += `${ALPHABET[n >> 18]}${ALPHABET[(n >> 12) & 63]}${ALPHABET[(n >> 6) & 63]}=`;
  }
  return out;
}

/** encodeGlobalID('Relation', id) for an integer id. */
export const relationGlobalId = (id: number): string => PREFIX + base64Ascii(String(id));
