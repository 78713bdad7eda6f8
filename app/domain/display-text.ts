/**
 * Text that came from outside the merchant's team (a shopper's email, phone or name, a reason a
 * webhook carried) is shown as the characters it holds, in the order they were typed. Bidi
 * controls can make "moc.live@ann" read as "ann@evil.com" (U+202E RIGHT-TO-LEFT OVERRIDE), and
 * control characters can hide or break a value; both are removed before display. React escapes
 * markup, so nothing here concerns HTML.
 */

/** Embeddings and overrides (U+202A–U+202E), isolates (U+2066–U+2069), LRM/RLM and the Arabic letter mark. */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;
/** C0 and C1 control characters and DEL; a line break in a one-line value is a control character too. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001F\u007F-\u009F]/gu;
// eslint-disable-next-line no-control-regex -- as above, but tab and line feed stay in paragraphs
const TEXT_CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/gu;

export function containsBidiControl(value: string): boolean {
  return new RegExp(BIDI_CONTROLS.source, "u").test(value);
}

export function containsControlCharacter(value: string): boolean {
  return new RegExp(CONTROL_CHARACTERS.source, "u").test(value);
}

/**
 * A one-line value (email, phone, name) as it may be shown: bidi and control characters removed.
 * Tabs and line breaks become spaces, so words on either side stay apart.
 */
export function displayValue(value: string): string {
  return value
    .replace(BIDI_CONTROLS, "")
    .replace(/[\t\n\r]+/gu, " ")
    .replace(CONTROL_CHARACTERS, "");
}

/** A multi-line value (a reason, a note): bidi and control characters removed, line breaks kept. */
export function displayParagraph(value: string): string {
  return value.replace(BIDI_CONTROLS, "").replace(/\r\n?/gu, "\n").replace(TEXT_CONTROLS, "");
}

const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" });

/**
 * At most `max` characters as a reader counts them (an emoji is one), for places that cannot wrap
 * (a page subtitle). The end of an email says where it goes, so the middle is what gives way.
 */
export function abbreviate(value: string, max: number): string {
  const characters = Array.from(graphemes.segment(value), (part) => part.segment);
  if (characters.length <= max) return value;
  const keep = max - 1;
  const head = Math.ceil(keep / 2);
  return `${characters.slice(0, head).join("")}…${characters.slice(characters.length - (keep - head)).join("")}`;
}
