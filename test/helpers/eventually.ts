/**
 * Reads `read()` every 200 ms until `ok` holds of its value or `timeoutMs` has passed, and returns the
 * last value either way: the caller's assertion on it then says what was seen instead.
 *
 * @example
 *   expect(await eventually(podNames, (names) => names.length === 2)).toEqual(['web-1', 'web-2']);
 */
export async function eventually<T>(
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}
