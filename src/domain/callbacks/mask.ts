// The free text a callback carries (the approved summary, a reason) is sealed with the same masker
// as every other reader's (src/domain/privacy): phone numbers, 身份证 numbers, e-mail addresses and
// the names of the lead's reporters. Other reporters' personal data never reaches a source
// through a callback (API.md §3, §7).
import { maskText as maskForReaders } from '../privacy/maskText.ts';

/** `names` are the reporters' names. */
export function maskText(text: string, names: readonly string[] = []): string {
  return maskForReaders(text, names.map((name) => ({ name, phone: null, confidential: false })));
}
