/** `decodeURIComponent`, or the text as written when it is not a valid escape sequence (a raw `%`, as in `LIKE50%`). */
export function decodeOrKeep(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
