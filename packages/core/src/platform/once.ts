/**
 * Runs `load` on first use and shares its result; a failure is not kept, so the next caller
 * tries again (a cold start that could not read SSM does not stay broken).
 *
 * @example
 * const settings = once(() => withSecrets(process.env).then(readMailConfig));
 * const { RESEND_API_KEY } = await settings();
 */
export function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
}
